"""Domain: the vocabulary every package shares. Imports nothing of ours.

Frozen records (`domain.records`), Vietnamese text normalisation (`domain.text`), the 34 provinces and their
former names (`domain.provinces`), and YAML files read with errors that name file and line (`domain.yamlfile`).
Every other package may import it; it is the bottom layer, below `storage`.
"""
