"""Typed, frozen parameters of one run, one dataclass per section of the config.

Every field says its meaning, unit and source: a figure from DOMAIN.md / the calibration table
("source: ..."), or "assumption: ...". Fields marked "fitted" are set by the calibration
(configs/calibration/). Values are checked in `__post_init__`; a bad value raises ConfigError
naming the key, the value and what is allowed, before any work is done.

Regulation levers (`RegulationParams`) accept a constant or a dated schedule (a mapping
"YYYY-MM" -> value); their per-lever value checks are in sim/core/checks.py. Numeric fields
state their range once, with `ranged(default, (low, high))`; `check_fields` checks them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from sim.core.calendar import LAST_MONTH, month_index
from sim.core.checks import LEVER_VALUES, calendar_month, is_number
from sim.core.domain import LEGAL_STRATEGIES, N_TOPICS, STRATEGIES
from sim.core.errors import ConfigError
from sim.core.schedule import resolve

Bounds = tuple[float, float | None]


def ranged(default: Any, bounds: Bounds) -> Any:
    """A numeric field with its allowed [low, high] range (high None: open), stated once."""
    return field(default=default, metadata={"range": bounds})


def check_fields(section: object) -> None:
    """Raise ConfigError for the first field that is not a finite number within its range.

    Every ranged field must be a finite int or float (a whole number if typed `int`); every
    number inside a list field must be finite. One check for every section.
    """
    for item in fields(section):  # type: ignore[arg-type]
        value = getattr(section, item.name)
        bounds = item.metadata.get("range")
        if bounds is not None:
            whole = item.type == "int"
            if not is_number(value) or (whole and not isinstance(value, int)):
                raise ConfigError(item.name, value, "a whole number" if whole else "a number")
            low, high = bounds
            if value < low or (high is not None and value > high):
                allowed = f"a number >= {low}" if high is None else f"a number in [{low}, {high}]"
                raise ConfigError(item.name, value, allowed)
        elif isinstance(value, list):
            flat = [v for row in value for v in (row if isinstance(row, list) else [row])]
            if any(isinstance(v, float) and not is_number(v) for v in flat):
                raise ConfigError(item.name, value, "finite numbers")


def _check_shares(name: str, shares: list[float], size: int) -> None:
    """Shares must be `size` non-negative numbers summing to 1 (within 1e-6)."""
    if len(shares) != size or any(s < 0 for s in shares) or abs(sum(shares) - 1) > 1e-6:
        raise ConfigError(name, list(shares), f"{size} non-negative shares summing to 1")


PROBABILITY = (0.0, 1.0)
NON_NEGATIVE = (0.0, None)


@dataclass(frozen=True)
class PopulationParams:
    """Who the account holders are and how their rights accrue (DOMAIN.md §2)."""

    holders: int = ranged(100_000, (1000, 50_000_000))
    """Simulated account holders; results are scaled to `national_holders`. assumption: a run
    setting (precision against speed), not a fact about France."""
    national_holders: int = ranged(38_800_000, (1, None))
    """source: 38.8 M holders of a funded CPF, late 2021 (nosdeputes.fr)."""
    share_job_seeker: float = ranged(0.09, PROBABILITY)
    """Share of holders who are job seekers. assumption: ~2.5-3.5 M registered job seekers
    among ~39 M holders."""
    share_self_employed: float = ranged(0.09, PROBABILITY)
    """Share who are self-employed / micro-entrepreneurs. assumption: ~3.5 M of ~39 M."""
    share_below_bac: float = ranged(0.34, PROBABILITY)
    """Share with at most CAP/BEP. source: 34% of the active population (calibration table)."""
    share_no_qualification: float = ranged(0.12, PROBABILITY)
    """Share below CAP/BEP (entitled to the €800 rule); a subset of `share_below_bac`.
    assumption."""
    accrual_eur: float = ranged(500.0, NON_NEGATIVE)
    """Yearly credit for a full year at least half-time. source: Code du travail (centre-inffo)."""
    cap_eur: float = ranged(5000.0, NON_NEGATIVE)
    """Balance cap. source: centre-inffo."""
    accrual_low_qualified_eur: float = ranged(800.0, NON_NEGATIVE)
    """Yearly credit below qualification level 3. source: centre-inffo."""
    cap_low_qualified_eur: float = ranged(8000.0, NON_NEGATIVE)
    """Balance cap below level 3. source: centre-inffo."""
    work_intensity_mean: float = ranged(0.62, (0.01, 1.0))
    """Mean share of a full yearly credit a working holder earns (part-time, partial years).
    fitted to the average balance of early 2022 (€1,460-1,573, DARES/CDC)."""
    job_finding_per_month: float = ranged(0.08, PROBABILITY)
    """Monthly probability a job seeker finds work; job loss is set so that the job-seeker
    share stays at `share_job_seeker`. assumption (mean spell ~1 year)."""
    self_employed_contributing: float = ranged(0.8, PROBABILITY)
    """Share of the self-employed who pay the training contribution and so accrue.
    assumption."""
    credit_month: int = ranged(4, (1, 12))
    """Calendar month in which last year's rights are credited. source: 'first half of the
    following year' (DOMAIN.md §2); April is an assumption within it."""
    initial_balance_mean_eur: float = ranged(650.0, NON_NEGATIVE)
    """Mean balance in January 2019 (2018 hours converted at €15/h). fitted (with the work
    intensity) to the average balance of early 2022; prior consistent with ~€1,040 for salaried
    holders in 2019/20 (Europe 1) after the 2019 credit."""
    exit_per_year: float = ranged(0.025, PROBABILITY)
    """Yearly probability a holder leaves the labour force (retires); the balance expires and a
    new holder with no balance takes the place. assumption: ~40-year working lives."""
    employer_topup_share: float = ranged(0.04, PROBABILITY)
    """Share of purchases topped up by an employer (copayment-exempt). assumption."""
    franceconnect_share: float = ranged(0.8, PROBABILITY)
    """Share of holders able to log in with FranceConnect. assumption."""
    verified_id_share: float = ranged(0.04, PROBABILITY)
    """Share holding a verified digital identity (FranceConnect+) in 2019. assumption."""
    vulnerability_mean: float = ranged(0.25, (0.0, 0.66))
    """Mean susceptibility to scams (0-1); 1.5x higher below the bac. assumption."""
    trust_initial: float = ranged(0.6, PROBABILITY)
    """Initial trust in the CPF (0-1). assumption."""
    propensity_shape: float = ranged(0.5, (0.05, 100.0))
    """Shape of the Gamma distribution (mean 1) of holders' propensity to train, which scales
    their need rates: 0.5 gives a coefficient of variation of 1.4 (a minority of holders has
    most of the propensity). assumption, on the documented inequality of access to training
    (DARES: training rates rise steeply with qualification and job); it makes demand deplete."""
    awareness_initial: float = ranged(0.2, PROBABILITY)
    """Share of holders who know they can use their CPF, January 2019. assumption (take-up
    1.7% of private employees in 2018, 20minutes.fr)."""

    def __post_init__(self) -> None:
        check_fields(self)
        if self.share_job_seeker + self.share_self_employed > 1:
            raise ConfigError(
                "share_self_employed", self.share_self_employed, "shares of statuses sum to <= 1"
            )
        if self.share_no_qualification > self.share_below_bac:
            raise ConfigError(
                "share_no_qualification",
                self.share_no_qualification,
                f"at most share_below_bac ({self.share_below_bac})",
            )

    @property
    def share_employee(self) -> float:
        """Share of holders who are employees."""
        return 1.0 - self.share_job_seeker - self.share_self_employed

    @property
    def scale(self) -> float:
        """National-equivalent units per simulated holder."""
        return self.national_holders / self.holders


@dataclass(frozen=True)
class BehaviourParams:
    """How holders decide: needs, search, choice, checkout, completion, trust (DOMAIN.md §2)."""

    need_rate_employee: float = ranged(0.01, PROBABILITY)
    """Monthly probability an employee without a need develops one. fitted."""
    need_rate_job_seeker: float = ranged(0.04, PROBABILITY)
    """Same for a job seeker (training is part of job search). fitted."""
    need_rate_self_employed: float = ranged(0.012, PROBABILITY)
    """Same for a self-employed holder. assumption (usage 'very low' is an outcome, not input)."""
    need_factor_below_bac: float = ranged(1.3, NON_NEGATIVE)
    """Need rate of holders below the bac relative to others (more to gain from training).
    fitted (42-43% of 2021-22 users have at most CAP/BEP vs 34% of the active population)."""
    need_fade: float = ranged(0.08, PROBABILITY)
    """Monthly probability an unmet need fades. assumption (mean life ~1 year)."""
    topic_shares_employee: list[float] = field(
        default_factory=lambda: [0.24, 0.2, 0.14, 0.08, 0.14, 0.17, 0.03]
    )
    """Topics of employees' and job seekers' needs (order of sim.core.domain.TOPICS). assumption,
    near the 2020 shares of entries: transport 25.9%, languages 17%, orientation 15.2%,
    IT 10.3% (francebleu/DARES)."""
    topic_shares_self_employed: list[float] = field(
        default_factory=lambda: [0.08, 0.08, 0.14, 0.15, 0.05, 0.05, 0.45]
    )
    """Topics of the self-employed's needs. assumption: legal structure, tax, sales and digital
    marketing dominate (seed article)."""
    need_value_median_eur: float = ranged(400.0, (0.01, None))
    """Median euros a holder would pay out of pocket to meet a need. assumption, set so that
    ~20% would pay a typical course (~€1,300) themselves (CDC/DARES survey, 2021 cohort)."""
    need_value_sigma: float = ranged(1.3, NON_NEGATIVE)
    """Log-normal spread of that willingness to pay. assumption (see above)."""
    induced_need_value_factor: float = ranged(0.25, NON_NEGATIVE)
    """Willingness to pay for a need induced by marketing, relative to a genuine one.
    assumption: 'selling to the credit rather than the need'."""
    search_rate: float = ranged(0.35, PROBABILITY)
    """Monthly probability an aware holder with a need searches the platform. assumption."""
    pre_app_access: float = ranged(0.25, PROBABILITY)
    """Search ease before the direct-purchase app (Nov 2019), relative to after. fitted."""
    app_innovation: float = ranged(0.03, (0.0001, 1.0))
    """Bass diffusion of the app among holders: monthly adoption from outside influence (media,
    the platform's campaigns). Search ease rises from `pre_app_access` to 1 as the adopted
    share F(t) rises to its ceiling of 1. fitted (the doubling of entries 2019->2020->2021)."""
    app_imitation: float = ranged(0.15, (0.0, 2.0))
    """Bass diffusion of the app: monthly adoption from holders who already use it. fitted."""
    repeat_need_factor: float = ranged(0.5, PROBABILITY)
    """Need rate of a holder after each course taken, relative to before (a need met by a
    certification does not come back soon). assumption: no published repeat-use rate up to
    2022; most users used their CPF once."""
    awareness_fade: float = ranged(0.02, PROBABILITY)
    """Monthly probability that an aware holder who has never used the CPF stops thinking of
    it (news moves on). assumption: ~4 years."""
    awareness_rate: float = ranged(0.01, PROBABILITY)
    """Monthly probability an unaware holder learns of the CPF from the media. fitted."""
    word_of_mouth: float = ranged(2.0, NON_NEGATIVE)
    """Awareness gained per enrolment per 1% of holders enrolled that month. fitted."""
    marketing_reach: float = ranged(0.5, NON_NEGATIVE)
    """Monthly awareness probability, and induced-need probability for aware holders, per
    EUR 100 of organisations' marketing spend per national holder last month (advertising on
    social networks). fitted."""
    shown_offers: int = ranged(10, (1, 100))
    """Offers the platform shows per search. assumption."""
    pages_per_offer: float = ranged(2.0, (0.1, 100.0))
    """Fewest result pages a month on which each offer listed for a need could appear, on
    average: a (need topic, profile)'s page comes in as many query variants (the words, places
    and dates of real queries, which the ranking does not see), rounded up to a power of two.
    assumption: a resolution setting, not a fact. With v2.8's fixed 8 variants an offer
    appeared on 0.3 pages a month and outcomes moved with the number of cohorts (ODD 2.9);
    outcomes moved by under 3% between 2, 4 and 8 (2 seeds, 100,000 holders)."""
    ranking_noise: float = ranged(0.6, NON_NEGATIVE)
    """Spread of what the ranking does not see (query words, location), in visibility
    units (Gumbel scale). assumption."""
    beta_relevance: float = ranged(4.0, NON_NEGATIVE)
    """Choice weight of an offer's relevance to the need (logit). assumption."""
    beta_rating: float = ranged(2.0, NON_NEGATIVE)
    """Choice weight of the displayed rating (0-1). assumption."""
    beta_visibility: float = ranged(0.5, NON_NEGATIVE)
    """Choice weight of the offer's visibility (salience). assumption."""
    beta_position: float = ranged(0.15, NON_NEGATIVE)
    """Utility lost per rank down the result list (attention). assumption."""
    beta_price: float = ranged(1.5, NON_NEGATIVE)
    """Choice weight per €1,000 of price above the holder's balance. assumption."""
    min_relevance: float = ranged(0.35, PROBABILITY)
    """A holder gives up ('no offer found') if no shown offer is at least this relevant.
    fitted (no figure measures it directly; it shapes volumes and the below-bac share)."""
    trust_search_elasticity: float = ranged(1.0, NON_NEGATIVE)
    """Search probability scales as (trust / initial trust) ** elasticity. assumption."""
    abandon_remote: float = ranged(0.18, PROBABILITY)
    """Abandonment of fully remote courses, the canvassed trainees among them. source: DARES,
    2021 cohort (18%)."""
    abandon_in_person: float = ranged(0.02, PROBABILITY)
    """Abandonment of in-person courses. source: DARES, 2021 cohort (2%)."""
    abandon_pressured_extra: float = ranged(0.3, PROBABILITY)
    """Extra abandonment of a course a holder was pressured into. assumption."""
    canvassed_remote_share: float = ranged(0.118, PROBABILITY)
    """Share of the remote courses in the DARES 2021 cohort that canvassing had sold, whose
    extra abandonment `abandon_remote` (measured on all remote trainees) already holds; the
    others abandon at `abandon_remote` less that share of `abandon_pressured_extra`.
    source: DARES 2021 survey (6% of trainings initiated by canvassing, 51% fully remote);
    assumption: canvassing sold remote courses (0.06 / 0.51)."""
    use_base: float = ranged(0.5, (-10.0, 10.0))
    """Log-odds that a trainee who completed a course of average quality (0.5) and fit (0.5),
    in person, uses what they learned. fitted (64% of the 2021 cohort used what they learned,
    DARES survey)."""
    use_quality: float = ranged(3.0, NON_NEGATIVE)
    """Log-odds of use per unit of course quality (0-1). assumption: a good course teaches
    something usable."""
    use_fit: float = ranged(3.0, NON_NEGATIVE)
    """Log-odds of use per unit of the course's fit to the trainee's need (0-1). assumption."""
    use_remote: float = ranged(0.3, NON_NEGATIVE)
    """Log-odds of use lost when the course was fully remote. assumption (remote trainees are
    less satisfied in the DARES survey; no pre-2022 figure on use by delivery)."""
    trust_gain_useful: float = ranged(0.08, PROBABILITY)
    """Trust gained after a useful course. assumption."""
    trust_loss_bad_course: float = ranged(0.05, PROBABILITY)
    """Trust lost after a course that was not useful. assumption."""
    trust_loss_scam: float = ranged(0.3, PROBABILITY)
    """Trust lost by a victim of a takeover or pressured enrolment. assumption."""
    trust_loss_friction: float = ranged(0.03, PROBABILITY)
    """Trust lost when giving up at checkout because of a lever. assumption."""
    trust_news: float = ranged(0.002, NON_NEGATIVE)
    """Monthly trust lost by everyone per 1 per 1,000 holders defrauded that month (media).
    assumption."""
    trust_recovery: float = ranged(0.01, PROBABILITY)
    """Monthly drift of trust back toward its initial level. assumption."""
    discover_takeover: float = ranged(0.3, PROBABILITY)
    """Monthly probability a takeover victim discovers the purchase. assumption."""
    report_takeover: float = ranged(0.6, PROBABILITY)
    """Probability a victim who discovers it reports it to the platform. assumption."""
    report_pressured: float = ranged(0.15, PROBABILITY)
    """Probability a pressured holder reports the organisation when the course ends.
    fitted (32,400 reports to CDC in H1 2022, with the canvassing share of trainings)."""
    licence_all_categories_boost: float = ranged(0.3, NON_NEGATIVE)
    """Relative rise in the weight of driving-licence needs when every licence category is
    funded (motorbike, heavy vehicles join the car licence). assumption: no pre-reform figure
    can set it."""
    licence_already_held_share: float = ranged(0.35, PROBABILITY)
    """Share of licence needs (all categories) from holders who already hold a car or
    motorbike licence, which the May 2024 rule stops funding. assumption."""
    licence_cofinanced_share: float = ranged(0.2, PROBABILITY)
    """Share of employees' and the self-employed's car-licence needs with a third-party
    co-financing of at least 100 EUR (still funded after Feb 2026). assumption."""
    income_factor_below_bac: float = ranged(0.7, NON_NEGATIVE)
    """Willingness to pay of holders below the bac relative to others. assumption."""
    income_factor_job_seeker: float = ranged(0.6, NON_NEGATIVE)
    """Willingness to pay of job seekers relative to employees. assumption."""

    def __post_init__(self) -> None:
        check_fields(self)
        _check_shares("topic_shares_employee", self.topic_shares_employee, N_TOPICS)
        _check_shares("topic_shares_self_employed", self.topic_shares_self_employed, N_TOPICS)


@dataclass(frozen=True)
class MarketParams:
    """Training organisations and their offers (DOMAIN.md §2)."""

    organisations: int = ranged(120, (4, 100_000))
    """Organisation agents (cohorts of like organisations) at the start, whatever the number of
    simulated holders, so that the market is the same market at every size. assumption: a run
    setting (resolution of the market ecology), not a fact about France."""
    national_organisations: int = ranged(12_000, (1, None))
    """Organisations selling through the CPF in January 2019. assumption, below the 25,000
    listed at end 2021 (centre-inffo)."""
    strategy_shares: list[float] = field(default_factory=lambda: [0.42, 0.4, 0.18])
    """Initial shares of the legal strategies (quality, generalist, opportunist); shells are
    opened by fraud networks. assumption."""
    offers_per_organisation: int = ranged(4, (1, 50))
    """Offers in each organisation's catalogue. assumption."""
    topic_shares: list[list[float]] = field(
        default_factory=lambda: [
            [0.15, 0.15, 0.1, 0.1, 0.1, 0.25, 0.15],
            [0.3, 0.2, 0.2, 0.1, 0.1, 0.1, 0.0],
            [0.1, 0.2, 0.25, 0.25, 0.2, 0.0, 0.0],
            [0.0, 0.2, 0.3, 0.35, 0.15, 0.0, 0.0],
        ]
    )
    """Topics of each strategy's offers (rows: strategies; columns: sim.core.domain.TOPICS).
    assumption: only quality specialists design self-employed essentials; opportunists crowd
    into generic office/IT, languages, business creation and skills assessments."""
    topic_hours: list[float] = field(default_factory=lambda: [35, 40, 30, 35, 24, 120, 30])
    """Typical hours of a course per topic (order of sim.core.domain.TOPICS). assumption."""
    fair_hourly_eur: list[float] = field(default_factory=lambda: [38, 22, 22, 26, 55, 11, 30])
    """Fair price per hour of a course of average quality, per topic. assumption, with the
    mean near the 2020 level of €16.80/h on long courses (managementdelaformation.fr)."""
    price_level: float = ranged(1.0, (0.2, 5.0))
    """Multiplier on every fair price: the per-topic hourly rates and hours set relative prices,
    this sets their level, which no source gives per topic. fitted to the average price per
    dossier 2020-21 (1,236 and 1,358 EUR, centre-inffo)."""
    markup: list[float] = field(default_factory=lambda: [1.1, 1.25, 1.5, 1.6])
    """Initial price over the fair price, per strategy. assumption."""
    balance_anchor: float = ranged(0.85, PROBABILITY)
    """Opportunists and shells price toward this share of the buyer's balance. fitted to the
    average price per dossier 2020-21 (prior: 'priced to exhaust the credit', seed article)."""
    price_adjustment: float = ranged(0.03, PROBABILITY)
    """Largest monthly relative price change of generalists, who pass their segment's change
    in sales per organisation into their prices one for one up to this. assumption."""
    quality: list[float] = field(default_factory=lambda: [0.8, 0.6, 0.3, 0.05])
    """Mean real quality (0-1) per strategy. assumption."""
    fit_general: list[float] = field(default_factory=lambda: [0.9, 0.75, 0.55, 0.3])
    """Fit of a course to an employee's or job seeker's need on its topic, per strategy.
    assumption."""
    fit_self_employed: list[float] = field(default_factory=lambda: [0.75, 0.3, 0.2, 0.1])
    """Fit to a self-employed holder's need; only quality specialists design for them.
    assumption (seed article)."""
    remote_share: list[float] = field(default_factory=lambda: [0.03, 0.05, 0.15, 0.3])
    """Share of remote courses in a new catalogue, per strategy (a strategy's way of delivering;
    lockdowns move existing courses online for a while). assumption, near the 6% of trainings
    fully remote in 2019 (DARES)."""
    remote_conversion: float = ranged(0.12, PROBABILITY)
    """Probability an in-person offer moves online for good in a lockdown month (in-person
    courses cannot be bought in those months). fitted (51% of trainings fully remote in 2021,
    DARES)."""
    marketing_share: list[float] = field(default_factory=lambda: [0.03, 0.08, 0.25, 0.1])
    """Share of revenue spent on marketing and platform SEO, per strategy. assumption."""
    rating_gaming: list[float] = field(default_factory=lambda: [0.0, 0.05, 0.3, 0.4])
    """Rating inflation (fake reviews, pressured surveys), per strategy. assumption."""
    canvassing_calls: float = ranged(1000.0, NON_NEGATIVE)
    """Canvassing calls per opportunist organisation per month (national). assumption."""
    canvassing_success: float = ranged(0.03, PROBABILITY)
    """Probability a called holder of vulnerability 1 is pressured into a sign-up. fitted."""
    canvassing_cost_eur: float = ranged(0.5, NON_NEGATIVE)
    """Cost of one canvassing call. assumption."""
    law_abiding_share: float = ranged(0.3, PROBABILITY)
    """Share of canvassing opportunists who stop as soon as canvassing is banned. assumption."""
    call_screening_load: float = ranged(1.0, (0.01, 1_000_000.0))
    """Canvassing calls per holder per month (all callers, national) at which a called holder
    is half as likely to listen: holders screen unknown callers as such calls multiply, so a
    call's chance of a sign-up is divided by 1 + load / `call_screening_load` (last month's
    load). assumption: diminishing returns of calling, argued in ODD §7.5 (no published
    answer-rate series); a very large value switches screening off."""
    canvassing_risk_spread: float = ranged(1.0, (0.05, 10.0))
    """Log-normal spread (sigma) among an opportunist cohort's members of the value they put on
    canvassing against the expected fine under a ban: a member goes on if its valuation exceeds
    the expected fine. assumption (members differ by a factor of ~2.7 either way)."""
    fixed_cost_eur: float = ranged(300.0, NON_NEGATIVE)
    """Monthly fixed cost of one organisation's CPF activity (national euros). assumption:
    most organisations also sell outside the CPF."""
    delivery_cost_share: list[float] = field(default_factory=lambda: [0.7, 0.55, 0.3, 0.02])
    """Delivery cost as a share of the fair price, per strategy. assumption."""
    entry_rate: float = ranged(0.15, NON_NEGATIVE)
    """Monthly entrants per active organisation agent per unit of profit margin, the margin of
    each legal strategy weighted by its base share (`strategy_shares`). fitted."""
    max_entrants_per_month: int = ranged(4_000, (0, 1_000_000))
    """Cap on new organisations a month (real organisations; in agents, this over
    `organisations_per_agent`): a guard on the agent count only, not a mechanism. assumption,
    set well above the calibrated entry (at most 8-10 agents of 100 organisations admitted a
    month in 2019-22 and 9-13 in 2023-26, seeds 0-1, model v2.10); model v2.1's cap of 8 agents
    bound every month, so entry was set by it rather than by margins. Counted in agents until
    v2.10, it would have bound at 480 cohorts (four times the agents admitted)."""
    exit_after_loss_months: int = ranged(12, (1, 1000))
    """Months of losses after which an organisation exits. assumption."""
    imitation_rate: float = ranged(0.03, PROBABILITY)
    """Monthly probability an organisation compares itself with another strategy. assumption."""
    imitation_margin: float = ranged(1.3, (1.0, None))
    """Another strategy must be this many times more profitable to be copied. assumption."""
    qualiopi_pass: list[float] = field(default_factory=lambda: [0.97, 0.9, 0.65, 0.5])
    """Probability an organisation obtains Qualiopi when required, per strategy. assumption."""
    capacity_per_org: list[float] = field(default_factory=lambda: [12.0, 40.0, 80.0, 300.0])
    """Most trainees one real organisation can take on per month, per strategy (quality,
    generalist, opportunist, shell). assumption: about 2 M entries a year over ~20,000 active
    organisations is ~8 per organisation a month on average; small in-person specialists are
    below the mean, scalable e-learning sellers far above it; a shell delivers nothing, so its
    limit is the paperwork of its network. Places bind honest purchases and pressured
    sign-ups (trainees enrolled); takeovers and ghost dossiers enrol nobody and use none."""
    remote_reversion: float = ranged(0.04, PROBABILITY)
    """Monthly probability that a course moved online in a lockdown goes back to in-person
    delivery once lockdowns are over. assumption: half back within ~1.5 years."""
    registration_pass: list[float] = field(default_factory=lambda: [0.98, 0.95, 0.6, 0.3])
    """Probability an organisation passes the registration check (from Oct 2022), per
    strategy. assumption: the checks (legal existence, declared activity, Qualiopi, ownership)
    stop most fronts and many thin opportunists, few real trainers."""
    visibility_decay: float = ranged(0.8, PROBABILITY)
    """Monthly retention of the marketing stock behind visibility. assumption."""

    def __post_init__(self) -> None:
        check_fields(self)
        _check_shares("strategy_shares", self.strategy_shares, len(LEGAL_STRATEGIES))
        if len(self.topic_shares) != len(STRATEGIES):
            raise ConfigError("topic_shares", self.topic_shares, "4 rows, one per strategy")
        for row, shares in zip(STRATEGIES, self.topic_shares, strict=True):
            _check_shares(f"topic_shares[{row}]", shares, N_TOPICS)
        for name in ("topic_hours", "fair_hourly_eur"):
            values = getattr(self, name)
            if len(values) != N_TOPICS or any(v <= 0 for v in values):
                raise ConfigError(name, list(values), f"{N_TOPICS} positive numbers, one per topic")
        if len(self.capacity_per_org) != len(STRATEGIES) or any(
            c <= 0 for c in self.capacity_per_org
        ):
            raise ConfigError("capacity_per_org", list(self.capacity_per_org), "4 positive numbers")
        for name in (
            "markup",
            "quality",
            "fit_general",
            "fit_self_employed",
            "remote_share",
            "marketing_share",
            "rating_gaming",
            "qualiopi_pass",
            "registration_pass",
            "delivery_cost_share",
        ):
            values = getattr(self, name)
            high = None if name == "markup" else 1.0
            if len(values) != len(STRATEGIES) or any(
                v < 0 or (high is not None and v > high) for v in values
            ):
                bound = "non-negative" if high is None else "in [0, 1]"
                raise ConfigError(name, list(values), f"4 numbers {bound}, one per strategy")


@dataclass(frozen=True)
class FraudParams:
    """Fraud networks and their channels (DOMAIN.md §2)."""

    networks: int = ranged(2, (0, 10_000))
    """Fraud networks active in January 2019 (national count). assumption."""
    max_networks: int = ranged(60, (0, 10_000))
    """Upper bound on simultaneously active networks. assumption."""
    entry_rate: float = ranged(0.15, NON_NEGATIVE)
    """Monthly expected entrants per unit of mean network profit over `entry_profit_eur`. fitted."""
    entry_profit_eur: float = ranged(200_000.0, (1.0, None))
    """Monthly profit of a network that attracts one entrant a month on average. assumption."""
    contacts: float = ranged(60_000.0, NON_NEGATIVE)
    """Phishing SMS/e-mails or calls a network makes per month (national). assumption."""
    contact_cost_eur: float = ranged(0.1, NON_NEGATIVE)
    """Cost of one contact (SMS, call-centre minute). assumption."""
    reuse_compromised: float = ranged(0.1, PROBABILITY)
    """Monthly probability a compromised account still holding rights is tried again.
    assumption."""
    phishing_success: float = ranged(0.02, PROBABILITY)
    """Probability a contacted holder of vulnerability 1 hands over credentials. fitted."""
    canvassing_success: float = ranged(0.03, PROBABILITY)
    """Probability a network's call pressures a holder of vulnerability 1 into a sign-up.
    fitted (6% of trainings initiated by canvassing, 2021, with market.canvassing_success)."""
    ghost_recruits: float = ranged(300.0, NON_NEGATIVE)
    """Straw holders a network can recruit per month for ghost training (national). assumption:
    no pre-reform figure isolates ghost training."""
    ghost_acceptance: float = ranged(0.2, PROBABILITY)
    """Probability a straw holder approached accepts a kickback. assumption."""
    kickback_share: float = ranged(0.2, PROBABILITY)
    """Share of a ghost course's price paid back to the straw holder. assumption."""
    takeover_success: list[float] = field(default_factory=lambda: [0.98, 0.9, 0.6, 0.05])
    """Probability stolen credentials pass the identity check, per level (none, password,
    FranceConnect, FranceConnect+), before circumvention. assumption."""
    pressured_block: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.1, 0.45])
    """Share of pressured sign-ups the identity check stops (the caller cannot complete the
    checkout for the holder), per level. assumption."""
    identity_skill_transfer: list[float] = field(default_factory=lambda: [1.0, 1.0, 1.0, 0.2])
    """Share of a network's experience against the identity check (takeover and pressured
    channels) kept when the check rises to each level (none, password, FranceConnect,
    FranceConnect+). assumption: a password and a FranceConnect login (tax or health account)
    are phished the same way, so that skill carries over; FranceConnect+ needs an identity
    verified on a document and a second factor on the holder's phone, another trade (forged
    documents, SIM swaps) learned mostly anew."""
    circumvention_max: float = ranged(0.5, PROBABILITY)
    """Share of the remaining control a fully experienced network defeats (SIM swaps, forged
    identities, fake attendance). assumption: 'professionalising in abuse' (seed article)."""
    learning_rate: float = ranged(0.06, PROBABILITY)
    """Experience gained in a channel in a month of full practice there (toward 1).
    assumption: a few years of steady practice to defeat most controls."""
    learning_half_successes: float = ranged(20.0, (0.01, None))
    """Successful dossiers in a channel in a month (national) at which a network learns at half
    its full rate. assumption."""
    sanction_exit: float = ranged(0.5, PROBABILITY)
    """Probability a network exits after one of its organisations is sanctioned. assumption."""
    loss_exit_months: int = ranged(6, (1, 1000))
    """Months without profit after which a network exits. assumption."""
    channel_temperature: float = ranged(3.0, NON_NEGATIVE)
    """Sensitivity of the channel allocation to relative returns (softmax). assumption."""
    exploration: float = ranged(0.1, (0.0, 0.33))
    """Minimum share of effort kept on each channel. assumption."""
    copayment_tolerance_eur: float = ranged(150.0, (0.01, None))
    """A pressured holder asked to pay a copayment c signs with probability exp(-c/this).
    assumption: the pitch is 'training offered, at no cost'."""
    fake_attendance: float = ranged(0.15, PROBABILITY)
    """Probability faked attendance passes an attendance check, before circumvention.
    assumption."""
    anomaly_evasion: float = ranged(0.5, PROBABILITY)
    """Share of anomaly detection a fully experienced network evades. assumption."""
    anomaly_signal: float = ranged(0.9, PROBABILITY)
    """Probability anomaly detection at strength 1 flags a fraudulent dossier. assumption."""

    def __post_init__(self) -> None:
        check_fields(self)
        for name in ("takeover_success", "pressured_block", "identity_skill_transfer"):
            values = getattr(self, name)
            if len(values) != 4 or any(not 0 <= v <= 1 for v in values):
                raise ConfigError(name, list(values), "4 probabilities, one per identity level")
        if self.networks > self.max_networks:
            raise ConfigError(
                "networks", self.networks, f"at most max_networks ({self.max_networks})"
            )


@dataclass(frozen=True)
class PlatformParams:
    """The platform's checkout and the regulator's means (DOMAIN.md §2)."""

    id_give_up_missing: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.5, 0.45])
    """Probability a holder lacking the required login gives up for now rather than set out to
    obtain it, per identity level (none, password, FranceConnect, FranceConnect+), in the month
    the level is first required (it then halves every `id_give_up_half_life_months`).
    assumption."""
    id_give_up_half_life_months: float = ranged(18.0, (1.0, 600.0))
    """Months for the chance of giving up at a newly required identity level to halve, as the
    ways to obtain a verified identity (La Poste's digital identity, counters) become known and
    holders meet them elsewhere. assumption."""
    france_identite_relief: float = ranged(0.4, PROBABILITY)
    """Share of the remaining give-ups at FranceConnect+ removed once France Identité is
    accepted (from `context.france_identite`): a free app most holders with a recent identity
    card can use. assumption."""
    id_give_up_missing_below_bac: float = ranged(1.4, NON_NEGATIVE)
    """Multiplier of that probability for holders below the bac (digital literacy). assumption."""
    id_friction: list[float] = field(default_factory=lambda: [0.0, 0.01, 0.02, 0.04])
    """Probability a holder with the required login still gives up at checkout. assumption."""
    anomaly_false_positive: float = ranged(0.03, PROBABILITY)
    """Probability anomaly detection at strength 1 flags an honest dossier. assumption."""
    flagged_give_up: float = ranged(0.3, PROBABILITY)
    """Probability an honest holder whose dossier is flagged (and so held for checks) gives
    up. assumption."""
    audit_capacity_per_month: float = ranged(400.0, NON_NEGATIVE)
    """Most audits the regulators can run per month (national). assumption."""
    audit_cost_eur: float = ranged(6000.0, NON_NEGATIVE)
    """Cost of one audit. assumption."""
    audit_detection: list[float] = field(default_factory=lambda: [0.02, 0.05, 0.35, 0.7])
    """Probability an audit finds grounds to delist, per strategy. assumption."""
    clawback_share: float = ranged(0.3, PROBABILITY)
    """Share of a delisted organisation's last 6 months of fraudulent payments recovered.
    assumption (2021: €31.2 M of payments suspended, Sénat)."""
    restore_rights: float = ranged(0.05, PROBABILITY)
    """Probability a reported takeover victim has their rights restored. assumption (2022:
    €620,314 restored to 535 holders for 50,000 reports, Sénat)."""
    reports_to_audit: float = ranged(0.0005, PROBABILITY)
    """Audit probability added per report received about an organisation (national). fitted
    to delistings and detected fraud 2020-21."""
    canvassing_fine_eur: float = ranged(375_000.0, NON_NEGATIVE)
    """Fine for a company caught canvassing after the ban. source: loi 2022-1587."""
    anticipation_months: int = ranged(3, (0, 24))
    """Months before an announced copayment rise during which holders hurry. assumption."""
    anticipation_boost: float = ranged(0.5, NON_NEGATIVE)
    """Relative rise in search during that window, per 100 EUR of announced rise (a 2.23 EUR
    indexation moves it by 2.2% of that). assumption."""
    attendance_paid_if_abandoned: float = ranged(0.25, PROBABILITY)
    """Share of the price paid for an abandoned course under payment on attendance. assumption."""

    def __post_init__(self) -> None:
        check_fields(self)
        for name, size in (("id_give_up_missing", 4), ("id_friction", 4), ("audit_detection", 4)):
            values = getattr(self, name)
            if len(values) != size or any(not 0 <= v <= 1 for v in values):
                raise ConfigError(name, list(values), f"{size} probabilities")


@dataclass(frozen=True)
class ContextParams:
    """Dated events outside regulation.

    The app launch, the 2020-21 lockdowns, France Identité. (Rules such as which driving
    licences are funded are regulation levers.)
    """

    app_launch: str = "2019-11"
    """Month the direct-purchase app opened. source: CDC, 21 Nov 2019."""
    lockdown_months: list[str] = field(
        default_factory=lambda: ["2020-03", "2020-04", "2020-05", "2020-11", "2020-12", "2021-04"]
    )
    """Months when in-person courses were mostly closed. source: French lockdowns."""
    france_identite: str = "2024-07"
    """Month from which France Identité is accepted as a FranceConnect+ identity. source:
    DOMAIN.md §3 (policy input)."""

    def __post_init__(self) -> None:
        check_fields(self)
        dated = (
            ("app_launch", [self.app_launch]),
            ("lockdown_months", self.lockdown_months),
            ("france_identite", [self.france_identite]),
        )
        for name, dates in dated:
            for date in dates:
                calendar_month(name, date)


@dataclass(frozen=True)
class RegulationParams:
    """Regulation levers; each a constant or a dated schedule {"YYYY-MM": value}.

    Values here are the `none` scenario (no levers); scenarios set them. Each lever's meaning,
    allowed values and mechanism are in sim/processes/levers.py and docs/ODD.md.
    """

    identity_check: Any = "none"
    """'none' | 'password' | 'franceconnect' | 'franceconnect_plus'.
    assumption: default off (the `none` scenario); see configs/scenario/."""
    canvassing_ban: Any = False
    """Canvassing for CPF purchases is illegal (bool).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    canvassing_enforcement: Any = 0.0
    """Monthly probability an active canvasser is caught, under a ban (0-1).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    copayment_eur: Any = 0.0
    """Flat amount paid by the holder per purchase (euros, >= 0).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    copayment_exempt: list[str] = field(default_factory=lambda: ["job_seeker", "employer_topup"])
    """Groups exempt from the copayment: statuses and/or 'employer_topup'.
    assumption: by default the exemptions of the 2024 copayment, in every scenario."""
    qualiopi_required: Any = False
    """Only Qualiopi-certified organisations may sell (bool).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    audit_rate: Any = 0.0
    """Audits per organisation per year (>= 0), within the audit capacity.
    assumption: default off (the `none` scenario); see configs/scenario/."""
    payment_on_attendance: Any = False
    """Organisations are paid only on proof of attendance (bool).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    anomaly_detection: Any = 0.0
    """Strength of anomaly detection on dossiers at checkout (0-1).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    ranking: Any = "visibility"
    """How the platform ranks offers: 'visibility' | 'relevance'.
    assumption: by default the platform as it was (visibility); see configs/scenario/."""
    price_cap_eur: Any = 0.0
    """Cap on the price of one course (euros; 0 means no cap).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    price_cap_by_topic_eur: Any = None
    """Caps per topic, a list in the order of sim.core.domain.TOPICS (euros; 0: no cap for that
    topic; null: no per-topic caps).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    registration_checks: Any = "none"
    """'none' | 'entrants' (organisations entering the platform are checked before listing) |
    'all' (every listed organisation is re-checked once, then entrants as before).
    assumption: default off (the `none` scenario); see configs/scenario/."""
    driving_licence_rule: Any = "car"
    """'car' | 'all_categories' | 'first_licence' | 'job_seekers_or_cofinanced': which driving
    licences the CPF funds. assumption: default 'car' (the rule before 2024, the `none`
    scenario); see configs/scenario/."""
    business_creation_restricted: Any = False
    """Business-creation courses limited to certified programmes (bool); the April 2022 decree.
    assumption: default off (the `none` scenario); see configs/scenario/."""


@dataclass(frozen=True)
class SimParams:
    """Every parameter of one run."""

    seed: int = 0
    end: str = LAST_MONTH
    """Last simulated month ('YYYY-MM', at most 2026-12); the run starts in January 2019."""
    label: str = "custom"
    """Scenario name, for reports."""
    population: PopulationParams = field(default_factory=PopulationParams)
    behaviour: BehaviourParams = field(default_factory=BehaviourParams)
    market: MarketParams = field(default_factory=MarketParams)
    fraud: FraudParams = field(default_factory=FraudParams)
    platform: PlatformParams = field(default_factory=PlatformParams)
    context: ContextParams = field(default_factory=ContextParams)
    regulation: RegulationParams = field(default_factory=RegulationParams)

    def __post_init__(self) -> None:
        if (
            isinstance(self.seed, bool)
            or not isinstance(self.seed, int)
            or not 0 <= self.seed < 2**63
        ):
            raise ConfigError("seed", self.seed, "a whole number from 0 to 2**63 - 1")
        calendar_month("end", self.end)
        try:
            for item in fields(self.regulation):
                off, check = LEVER_VALUES[item.name]
                resolve(item.name, getattr(self.regulation, item.name), self.n_months, off, check)
        except ConfigError as error:
            raise error.under("regulation") from None

    @property
    def organisation_agents(self) -> int:
        """Organisation agents at the start: the same market at every simulated size.

        Only the holders are a sample; the organisations' cohorts, their result pages and their
        places per holder are the same whatever the number of simulated holders.
        """
        return self.market.organisations

    @property
    def organisations_per_agent(self) -> float:
        """Real organisations each (non-shell) organisation agent stands for."""
        return self.market.national_organisations / self.organisation_agents

    @property
    def n_months(self) -> int:
        """Months simulated, from January 2019 to `end`."""
        return month_index(self.end) + 1


SECTIONS: dict[str, type] = {
    f.name: f.default_factory  # type: ignore[misc]
    for f in fields(SimParams)
    if f.name not in ("seed", "end", "label")
}
