"""Reading author files safely: bytes to text (UTF-8 only), front matter split, strict YAML.

Nothing here knows what an item is; it only turns a file into data with line numbers, or a
``SourceError`` in Chinese that names the line.
"""
