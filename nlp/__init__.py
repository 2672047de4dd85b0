"""Vietnamese NLP: relevance, topic, sentiment, province, entities, story clustering.

Imports `storage` only.
"""
