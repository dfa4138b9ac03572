"""Synthetic demo data: signals and sex ads that look real enough to work with, and are clearly not.

Every record carries a ``synthetic`` marker; phone numbers come from ranges no real subscriber holds
in the demo's sense (06-1234xxxx style), company numbers and IBANs are generated with valid
check digits but belong to no one the generator knows.
"""

from signaal.demo.signals import SIGNAL_COLUMNS, generate_signals

__all__ = ["SIGNAL_COLUMNS", "generate_signals"]
