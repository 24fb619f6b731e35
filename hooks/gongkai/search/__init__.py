"""The site search: tokens shared with the browser (``tokens``) and the lunr-compatible
sharded index written at build time (``index``)."""
