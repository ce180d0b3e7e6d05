"""The browser workbench for policy teams (`cpf-sim-app`): two worlds side by side, compared.

Modules, lowest first: `worlds` (a world = a scenario and its edited lever schedules, checked
as the command line checks them), `links` (a page address that encodes both worlds),
`workers` (worker processes that can be cancelled), `runs` (the paired runs, cached by run
hash), `ledger` (what the comparison says, from the report's own tables and words), `browse`
(existing sweep folders); then the Solara page (`controls`, `views`, `page`) and `main`, the
command that serves it. Solara is an optional extra (`app`): nothing below `controls` imports it.
"""
