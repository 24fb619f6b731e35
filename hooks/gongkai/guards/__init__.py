"""What may never be published: personal numbers, unsafe HTML, unsafe attachments.

``findings`` runs every guard on an item (front matter, body, attachments); ``pii``, ``markup``
(the HTML a body converts to, judged by an HTML5 sanitizer) and ``html`` (attachments) are the
detectors. The loader, the annual narratives and the review report call them; the MkDocs
adapter calls ``markup`` on what MkDocs converted.
"""
