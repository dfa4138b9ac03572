"""Linking and networks: link keys and keyed pseudonyms, exact and person links, the network graph.

Pure core: plain records in, links, graphs and explanations out. Storage and the acting user are
the business of :mod:`signaal.services.link`.
"""
