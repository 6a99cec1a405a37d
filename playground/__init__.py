"""playground: the interactive views (Panel/Bokeh) and the `nn-playground` command."""
