"""The quality system beyond documents and audits (ISO 9001 4.1, 4.2, 4.4, 5.2, 6.1, 6.2, 9.1).

Each aggregate is a sub-domain with the rooms of the house (models, labels, rules, services,
queries, jobs, handlers, web, forms): `measures` (process measures and their values),
`objectives` (quality policy and objectives, context and interested parties) and `risks`
(risks and opportunities). They share this package's parent blueprint `quality`.
"""
