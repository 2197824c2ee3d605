"""The MkDocs side of the guide: what the plugin (`annotate.mkdocs_plugin`) asks of MkDocs and of
the plugins beside it (mkdocstrings, mkdocs-static-i18n, autorefs, markdown-exec).

One job a module: `options` (the plugin's options), `languages` (the language of a build, from
mkdocs-static-i18n), `site_files` (names of pages and where generated ones go), `setup` (the guide
read and the configuration set up for it), `pages` (a page handed to the build), `caches`
(what other libraries keep of past builds), `report` (logs and failures).
"""
