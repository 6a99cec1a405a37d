"""Still figures of the playground's views, drawn with matplotlib's object API for handouts, slides and papers.

Each renderer draws one view into a `matplotlib.figure.Figure` from the same session, maps and view models
the live Bokeh views use (no second computation path): `sandbox.py` (network, boundary, curves, histograms),
`mnist.py` (curves, histograms, activations, filters, confusion, saliency). `save.py` turns a renderer into
PNG, SVG or PDF bytes of a given pixel size, byte-for-byte reproducible; `lesson_blocks.py` renders the
lessons' ```figure blocks; `command.py` is the `nn-playground figure` command. matplotlib is imported only
here, never at page start-up: in the browser it is loaded on the first save (`save.ensure_matplotlib`).
"""
