"""Moving in: items from an old catalogue system's export (``gongkai import``) and from
Word documents (``gongkai new --from``, ``gongkai import-docx``).

One job per module: ``table`` reads the export, ``columns`` maps its headings to fields,
``values`` normalises what old systems write, ``html_md`` turns HTML bodies into Markdown,
``links`` brings the files a body points at along, ``files`` copies attachments safely,
``existing`` knows what the site already holds, ``item_text`` writes an item's text,
``rows`` turns one row into an item, ``run`` imports a whole export, ``docx_item`` reads a
公文 from Word.
"""
