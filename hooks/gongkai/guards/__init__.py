"""What may never be published: personal numbers, unsafe HTML, unsafe attachments.

``findings`` runs every guard on an item (front matter, body, attachments); ``pii`` and ``html``
are the detectors. The loader and the review report both call them.
"""
