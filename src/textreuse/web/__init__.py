"""``textreuse serve``: a local web app over an index (read-only), its JSON API first.

:func:`textreuse.web.app.create_app` builds the app; :mod:`textreuse.web.api`
holds the routes, :mod:`textreuse.web.models` the response models,
:mod:`textreuse.web.options` its limits, :mod:`textreuse.web.uploads` how a
pasted or uploaded text is read.
"""
