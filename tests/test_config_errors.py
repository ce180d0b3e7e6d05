"""Bad input fails early with a ConfigError naming the key, the value and what is allowed."""

import pytest

from sim.config import load_params
from sim.core.errors import ConfigError

# (override, key the error must name, value the message must show)
BAD_INPUT = [
    ("regulation.copayment_eur=-5", "regulation.copayment_eur", "-5"),
    ("regulation.anomaly_detection=1.5", "regulation.anomaly_detection", "1.5"),
    ("behaviour.search_rate=2", "behaviour.search_rate", "2"),
    ("regulation.identity_check=fingerprint", "regulation.identity_check", "fingerprint"),
    ("regulation.copayment_exempt=[job_seeker,retired]", "regulation.copayment_exempt", "retired"),
    ("regulation.copayment_eur={2031-01:100}", "regulation.copayment_eur", "2031-01"),
    ("regulation.copayment_eur={2024-13:100}", "regulation.copayment_eur", "2024-13"),
    ("regulation.copayment_eur={May-2024:100}", "regulation.copayment_eur", "May-2024"),
    ("population.holdrs=5", "population.holdrs", "5"),
    ("population.holders=abc", "population.holders", "abc"),
    ("regulation.copayment=100", "regulation.copayment", "copayment"),
    # non-finite numbers, wherever they are (issue 8)
    ("behaviour.search_rate=nan", "behaviour.search_rate", "nan"),
    ("regulation.copayment_eur=inf", "regulation.copayment_eur", "inf"),
    ("regulation.copayment_eur=-inf", "regulation.copayment_eur", "inf"),
    ("regulation.copayment_eur={2024-05:nan}", "regulation.copayment_eur[2024-05]", "nan"),
    (
        "regulation.price_cap_by_topic_eur=[1,2,3,4,5,6,nan]",
        "regulation.price_cap_by_topic_eur[6]",
        "nan",
    ),
    ("population.share_job_seeker=1e400", "population.share_job_seeker", "inf"),
    # numbers too large to simulate or store
    ("behaviour.search_rate=" + "1" * 400, "behaviour.search_rate", "400 characters"),
    ("seed=" + str(2**70), "seed", str(2**70)),
    # keys that do not exist, even with '+'
    ("+population.holder=5000", "population.holder", "population.holders"),
    ("populaton.holders=5", "populaton.holders", "population.holders"),
    ("=5", "command line", "=5"),
    # labels name folders
    ("label=a/../../x", "label", "a/../../x"),
    ("label=" + "a" * 5000, "label", "5000 characters"),
    # a schedule gives each date once
    ("regulation.copayment_eur={2024-05:100,2024-05:200}", "regulation.copayment_eur", "2024-05"),
]


@pytest.mark.parametrize(("override", "key", "value"), BAD_INPUT)
def test_bad_input_raises_a_config_error_naming_key_and_value(override, key, value):
    with pytest.raises(ConfigError) as caught:
        load_params(["scenario=none", override])
    error = caught.value
    message = str(error)
    assert error.key == key, message
    assert message.startswith(f"{key}="), message
    assert value in message, message
    assert error.allowed and "\n" not in message  # says what is allowed, on one line


@pytest.mark.parametrize(
    ("override", "allowed"),
    [
        ("regulation.copayment_eur=-5", ">= 0"),
        ("regulation.anomaly_detection=1.5", "[0, 1]"),
        ("behaviour.search_rate=2", "[0.0, 1.0]"),
        ("regulation.identity_check=fingerprint", "franceconnect_plus"),
        ("regulation.copayment_exempt=[retired]", "employer_topup"),
        ("population.holdrs=5", "holders"),
        ("population.holdrs=5", "did you mean population.holders?"),
        ("regulation.copaymnt_eur=5", "did you mean regulation.copayment_eur?"),
        ("behaviour.search_rate=nan", "a finite number"),
        ("seed=" + str(2**64), "2**63"),
    ],
)
def test_the_message_says_what_is_allowed(override, allowed):
    with pytest.raises(ConfigError) as caught:
        load_params(["scenario=none", override])
    assert allowed in caught.value.allowed, str(caught.value)


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


def test_good_input_is_accepted():
    params = load_params(
        [
            "scenario=none",
            "population.holders=20000",
            "regulation.copayment_eur={2024-05:100}",
            "regulation.copayment_exempt=[]",
            "regulation.identity_check=franceconnect_plus",
        ]
    )
    assert params.population.holders == 20000
    assert params.regulation.copayment_exempt == []
    assert params.regulation.identity_check == "franceconnect_plus"
