"""Uncertainty and sensitivity: declared ranges, sample designs, indices, robust conclusions.

The modules, bottom up: `uncertainties` (the ranges of configs/uncertainties/, validated),
`designs` (SALib samples mapped to parameter values), `plan` (a design as a sweep's jobs),
`effects` (paired lever effects per design point), `indices` (Morris and Sobol indices with
bootstrap intervals), `robust` (shares of plausible worlds, ranking stability), `discovery`
(PRIM boxes), `history` (history matching with a Gaussian-process emulator), `figures` and
`report` (the written report), `cli` (`cpf-sensitivity`). docs/sensitivity.md tells the workflow.
"""
