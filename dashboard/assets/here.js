/* The language switch (dashboard/shell.py) takes the reader back to where they are: as its form is sent, its hidden
   "next" gets the address shown at that moment — the page's state included, which the pages write into the address
   as it changes. Done in the browser: no callback at every page open to keep a hidden field up to date. */
document.addEventListener("submit", function (event) {
    var next = event.target.querySelector && event.target.querySelector("#lang-next");
    if (next) {
        next.value = window.location.pathname + window.location.search + window.location.hash;
    }
}, true);
