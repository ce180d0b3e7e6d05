"""Fixed vocabulary of the CPF market: statuses, topics, kinds of enrolment, strategies.

These are categorical codes shared by the vectorised population and the Mesa agents. They are
structure, not parameters: changing them changes the model, not a scenario.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np

# Holder status (DOMAIN.md §2): codes stored in an int8 array.
EMPLOYEE: Final = 0
JOB_SEEKER: Final = 1
SELF_EMPLOYED: Final = 2
STATUSES: Final = ("employee", "job_seeker", "self_employed")
Status = Literal["employee", "job_seeker", "self_employed"]

# Education: below CAP/BEP (no level-3 qualification: €800/yr accrual), CAP/BEP, bac or above.
NO_QUALIFICATION: Final = 0
BELOW_BAC: Final = 1
BAC_OR_ABOVE: Final = 2

# Digital identity a holder can present at checkout.
ID_NONE: Final = 0
ID_FRANCECONNECT: Final = 1
ID_VERIFIED: Final = 2  # FranceConnect+ (identity verified, e.g. La Poste digital identity)

IDENTITY_LEVELS: Final = ("none", "password", "franceconnect", "franceconnect_plus")
IdentityLevel = Literal["none", "password", "franceconnect", "franceconnect_plus"]
RANKINGS: Final = ("visibility", "relevance")
# Which driving licences the CPF funds (DOMAIN.md §3): the car licence only (before 2024);
# every category (12 Jan 2024); a first licence only (18 May 2024); and from Feb 2026 the car
# licence only for job seekers or with a third-party co-financing of at least 100 EUR.
LICENCE_RULES: Final = ("car", "all_categories", "first_licence", "job_seekers_or_cofinanced")
# Registration checks of organisations entering the platform (from 6 Oct 2022) and of every
# listed organisation (from 19 Oct 2023).
REGISTRATION_CHECKS: Final = ("none", "entrants", "all")
Ranking = Literal["visibility", "relevance"]

# Training topics (DOMAIN.md §2 "training need"); shares in configs/population.
TOPICS: Final = (
    "driving_licence",
    "languages",
    "office_it",
    "business_creation",
    "skills_assessment",
    "trade_technical",
    "self_employed_essentials",
)
N_TOPICS: Final = len(TOPICS)
DRIVING_LICENCE: Final = TOPICS.index("driving_licence")
BUSINESS_CREATION: Final = TOPICS.index("business_creation")
SELF_EMPLOYED_ESSENTIALS: Final = TOPICS.index("self_employed_essentials")
NO_NEED: Final = -1

# How well a course on topic `column` serves a need on topic `row` (1 = the same topic).
# Assumption: a search for a topic also returns neighbouring topics; the self-employed
# essentials (legal structure, tax, sales, digital marketing) are partly served by business
# creation and office/IT courses, which is why generic offers crowd them out (seed article).
TOPIC_RELEVANCE: Final = np.array(
    [
        # drv  lang  it   biz  bilan trade se
        [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],  # driving licence
        [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],  # languages
        [0.0, 0.0, 1.0, 0.2, 0.0, 0.1, 0.3],  # office / IT
        [0.0, 0.0, 0.2, 1.0, 0.1, 0.0, 0.6],  # business creation
        [0.0, 0.0, 0.0, 0.1, 1.0, 0.1, 0.0],  # skills assessment
        [0.0, 0.0, 0.1, 0.0, 0.1, 1.0, 0.0],  # trade / technical
        [0.0, 0.0, 0.4, 0.6, 0.0, 0.0, 1.0],  # self-employed essentials
    ],
    dtype=np.float32,
)

# Enrolment kinds: one honest, three fraudulent channels (DOMAIN.md §2 "fraud networks").
LEGIT: Final = 0
PRESSURED: Final = 1
TAKEOVER: Final = 2
GHOST: Final = 3
KINDS: Final = ("legit", "pressured", "takeover", "ghost")
NOT_ENROLLED: Final = -1

# Organisation strategies (DOMAIN.md §2 "training organisations").
STRATEGIES: Final = ("quality", "generalist", "opportunist", "shell")
QUALITY: Final = 0
GENERALIST: Final = 1
OPPORTUNIST: Final = 2
SHELL: Final = 3
Strategy = Literal["quality", "generalist", "opportunist", "shell"]
LEGAL_STRATEGIES: Final = ("quality", "generalist", "opportunist")

# Fraud channels: the three fraudulent kinds, indexed from 0 (channel = kind - 1) in a network's
# effort shares and in the books of fraudulent payments.
CHANNELS: Final = KINDS[1:]
PRESSURED_CHANNEL: Final = PRESSURED - 1
TAKEOVER_CHANNEL: Final = TAKEOVER - 1
GHOST_CHANNEL: Final = GHOST - 1
