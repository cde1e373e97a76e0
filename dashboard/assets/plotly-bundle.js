/* The charts draw scatter, bar and heatmap traces only, so dcc.Graph loads plotly.js' cartesian bundle
   (vendor/plotly-cartesian.min.js, 1.5 MB, the same plotly.js version as the Python package's) instead of the full one
   (4.8 MB): the first chart a visitor opens compiles a third of the code — about a second less on a small machine.
   Dash's renderer names the file dcc.Graph fetches (window._dashPlotlyJSURL) when it starts; this pins it. The file
   itself is left out of every page's head (assets_ignore in web/app.py): it loads only where a chart is drawn. */
(function () {
    var url = new URL("vendor/plotly-cartesian.min.js", document.currentScript.src).pathname;
    Object.defineProperty(window, "_dashPlotlyJSURL", {
        configurable: true,
        get: function () { return url; },
        set: function () { /* the renderer's full bundle: not wanted */ }
    });
})();
