"""Review of partner data before and after it is stored: readings held as implausible (operators accept or
reject them) and large corrections (raised as events, kept with what they replaced, rolled back on request).

``plausibility`` is pure (limits from a point's own history, a split of a batch into kept and held);
``held`` and ``corrections`` are the use cases. May import ``data``, ``auth``, ``alerts`` and ``partners``'
pure helpers; never ``dashboard``, ``pages`` or ``callbacks``.
"""
