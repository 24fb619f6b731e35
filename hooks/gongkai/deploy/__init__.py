"""How a built site is served and published: the pages' Content-Security-Policy and
fingerprinted asset names (applied to every page as it is written), the web server's
configuration and the object-storage metadata, precompressed copies, and the publish plan."""
