"""Multiple systems estimation: the hidden number behind overlapping lists of possible victims.

Pure: capture-pattern tables in (plain counts by combination of lists), estimates out. Log-linear
Poisson models with main effects and interactions (statsmodels GLM), model selection by the
stepwise rule of SparseMSE, exhaustive or downhill BIC, or a fixed model; checks that the
maximum-likelihood estimate exists when lists do not overlap; profile-likelihood, Wald and BCa
bootstrap intervals; strata estimated apart and summed. See ``docs/mse.md``.
"""

from signaal.mse.checks import data_warnings, validate_table
from signaal.mse.estimate import INTERVAL_KINDS, METHODS, Estimate, Options, estimate
from signaal.mse.existence import check_model
from signaal.mse.models import Model, parse_terms
from signaal.mse.strata import estimate_strata, merge_small_strata
from signaal.mse.table import CaptureTable, drop_lists, merge_lists, table_from_histories, table_from_rows

__all__ = [
    "INTERVAL_KINDS",
    "METHODS",
    "CaptureTable",
    "Estimate",
    "Model",
    "Options",
    "check_model",
    "data_warnings",
    "drop_lists",
    "estimate",
    "estimate_strata",
    "merge_lists",
    "merge_small_strata",
    "parse_terms",
    "table_from_histories",
    "table_from_rows",
    "validate_table",
]
