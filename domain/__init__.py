"""Domain: the vocabulary every package shares. Imports nothing of ours.

Frozen records (`domain.records`), the closed sets of codes (`domain.enums`), the Vietnamese names users read
for them (`domain.labels`, from `taxonomy.yaml`), the 34 provinces and their former names (`domain.provinces`),
Vietnamese text normalisation (`domain.text`), YAML files read with errors that name file and line
(`domain.yamlfile`), and the users' time zone (`domain.localtime`).
Every other package may import it; it is the bottom layer, below `storage`.
"""
