"""E-mail addresses and messenger handles in folded ad text, normalised for linking."""

from __future__ import annotations

import re
from dataclasses import dataclass

from signaal.ads.normalise import lowered

__all__ = ["FoundHandle", "find_emails", "find_handles"]

_EMAIL = re.compile(
    r"(?<![\w.+-])([\w.+-]{1,64})\s*(?:@|\(at\)|\[at\])\s*([a-z0-9-]{1,63}(?:\s*(?:\.|\(dot\)|\[dot\])\s*[a-z0-9-]{1,63})+)",
    re.IGNORECASE,
)
_TLD = re.compile(r"^[a-z]{2,12}$")

_HANDLE_SERVICES = {
    "whatsapp": r"whats\s?app",
    "telegram": r"telegram",
    "signal": r"signal",
    "snapchat": r"snapchat|snap",
    "instagram": r"instagram|insta|ig",
    "onlyfans": r"onlyfans|only\s?fans",
}
_HANDLE = re.compile(
    r"\b(?P<svc>"
    + "|".join(f"(?:{v})" for v in _HANDLE_SERVICES.values())
    + r")\b(?P<sep>\s*(?:[:=\-]|id|naam|name|me|op|on|@)*\s*@?)(?P<h>[a-z][\w.]{2,29})",
    re.IGNORECASE,
)
_URL_HANDLE = re.compile(
    r"(?:t\.me|instagram\.com|snapchat\.com/add|onlyfans\.com)/(?P<h>[a-z][\w.]{2,29})", re.IGNORECASE
)
# Short names of a service count only with a colon after them ("tg: lisa_nl", "OF: lisa"): "of" is
# also a Dutch word and "sc" an abbreviation of much else.
_SHORT_SERVICES = {"tg": "telegram", "sc": "snapchat", "of": "onlyfans"}
_SHORT_HANDLE = re.compile(r"(?<!\w)(?P<svc>tg|sc|of)[ \t]*:[ \t]*@?(?P<h>[a-z][\w.]{2,29})", re.IGNORECASE)
# Cheap tests first: most ads name no service and hold no "@", so the full patterns rarely run.
_SERVICE_WORD = re.compile(
    r"(?<!\w)(?:whats\s?app|telegram|signal|snapchat|snap|instagram|insta|ig|onlyfans|only\s?fans)(?!\w)"
    r"|t\.me/|instagram\.com/|snapchat\.com/add|onlyfans\.com/"
)
# Every branch of _SERVICE_WORD but "ig" holds one of these; str's "in" finds them far faster
# than re tries a pattern that starts with a look-behind at every position.
_SERVICE_CUES = ("snap", "insta", "whats", "fans", "telegram", "signal", "t.me/")
_IG = re.compile(r"ig(?<!\wig)(?!\w)")  # "(?<!\w)ig(?!\w)" with its literal first: re scans for it
# The characters of an address's local part (ASCII; beyond ASCII, letters and digits)
_LOCAL = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz.+-")
_SERVICE_NAME = re.compile(r"whats\s?app|telegram|signal|snapchat|snap|instagram|insta|ig|onlyfans|only\s?fans")
_URL_KIND = {"t.me": "telegram", "instagram.com": "instagram", "snapchat.com": "snapchat", "onlyfans.com": "onlyfans"}
# Ordinary Dutch and English words that follow a service name but are no handle ("whatsapp me",
# "snap only", "Telegram: yes", "insta: hier", "Instagram: ask me", "Signal: same number"). A
# handle written with a separator needs a word that is not one of these; one written without
# one also needs a digit, "_" or "." or a long run-together word (see find_handles).
# fmt: off
_STOP = frozenset({
    "only", "alleen", "me", "mij", "my", "mijn", "or", "of", "and", "en", "ok", "oke", "okay", "please", "pls",
    "plz", "available", "beschikbaar", "call", "text", "sms", "bel", "bellen", "to", "for", "voor", "the", "de",
    "het", "een", "nummer", "number", "is", "ook", "also", "video", "calls", "bericht", "ja", "jaa", "nee",
    "neen", "yes", "yess", "yep", "no", "nope", "nah", "hier", "here", "there", "daar", "zie", "see", "kijk",
    "look", "ask", "vraag", "vragen", "same", "zelfde", "hetzelfde", "dezelfde", "prive", "private", "privat",
    "op", "on", "aanvraag", "request", "requested", "demand", "info", "information", "informatie", "details",
    "profiel", "profile", "bio", "link", "links", "below", "hieronder", "boven", "above", "onder", "under",
    "contact", "add", "voeg", "volg", "follow", "klik", "click", "dm", "pm", "inbox", "message", "messages",
    "msg", "berichten", "appen", "app", "apps", "mogelijk", "possible", "welkom", "welcome", "graag", "gladly",
    "sure", "zeker", "natuurlijk", "ofcourse", "course", "anytime", "altijd", "always", "soms", "sometimes", "nu",
    "now", "later", "soon", "binnenkort", "snel", "fast", "direct", "directly", "meteen", "via", "with", "met",
    "without", "zonder", "niet", "not", "geen", "none", "nothing", "niks", "niets", "too", "alle", "all", "any",
    "elke", "every", "just", "gewoon", "alleenmaar", "exclusively", "exclusive", "exclusief", "free", "gratis",
    "paid", "betaald", "account", "accounts", "user", "username", "gebruikersnaam", "naam", "name", "id",
    "handle", "set", "sets", "photos", "fotos", "foto", "photo", "pics", "pictures", "videos", "content",
    "premium", "vip", "subscribe", "abonneer", "abonnement", "subscription", "new", "nieuw", "real", "echt",
    "verified", "geverifieerd", "official", "officieel", "chat", "chatten", "chatting", "model", "models",
    "facility", "coming", "privé", "oké"
})
# fmt: on


@dataclass(frozen=True, slots=True)
class FoundHandle:
    """A contact found in text: kind, normalised value and span in the folded text."""

    kind: str
    value: str
    start: int
    end: int


def find_emails(text: str) -> list[FoundHandle]:
    """E-mail addresses, also written with "(at)" and "(dot)", lower-cased."""
    out: list[FoundHandle] = []
    if "@" not in text and "(" not in text and "[" not in text:
        return out
    low = lowered(text)
    if "@" not in text and "(at)" not in low and "[at]" not in low:
        return out
    end = 0
    for start in _email_starts(text, low):
        if start < end:
            continue  # inside the address before: _EMAIL.finditer() goes on after it
        m = _EMAIL.match(text, start)
        if m is None:
            continue
        end = m.end()
        if m.end(1) < m.start(2) and text[m.end(1)].isspace() and _SERVICE_NAME.fullmatch(m.group(1).lower()):
            continue  # "insta @lisa.nl": a handle after a service name, no e-mail address
        domain = re.sub(r"\s*(?:\(dot\)|\[dot\]| dot )\s*|\s+", ".", m.group(2).lower())
        domain = re.sub(r"\.+", ".", domain)
        if "." not in domain or not _TLD.match(domain.rsplit(".", 1)[1]):
            continue
        local = m.group(1).lower().strip(".")
        out.append(FoundHandle("email", f"{local}@{domain}", m.start(), m.end()))
    return out


def _email_starts(text: str, low: str) -> list[int]:
    # Where an _EMAIL match can start, ascending: _EMAIL starts where a run of local-part
    # characters starts (its look-behind) and that run, spaces and "@", "(at)" or "[at]" follow,
    # so each of those marks has one place to look at. _EMAIL.finditer() tries every position of
    # the text instead, with a look-behind first.
    marks: list[int] = []
    for sign, where in (("@", text), ("(at)", low), ("[at]", low)):
        i = where.find(sign)
        while i >= 0:
            marks.append(i)
            i = where.find(sign, i + 1)
    starts: set[int] = set()
    for mark in marks:
        j = mark
        while j and text[j - 1].isspace():
            j -= 1
        k = j
        # at most 65 back: a longer run holds no local part (1 to 64 characters after its start)
        while k and j - k < 65 and (text[k - 1] in _LOCAL or (text[k - 1] > "\x7f" and text[k - 1].isalnum())):
            k -= 1
        if k < j:
            starts.add(k)
    return sorted(starts)


def _names_a_service(low: str) -> bool:
    # _SERVICE_WORD.search(low), but only where a cue of it is in the text
    for cue in _SERVICE_CUES:
        if cue in low:
            return _SERVICE_WORD.search(low) is not None
    return _IG.search(low) is not None


def _kind_of(service: str) -> str:
    low = service.lower()
    for kind, pattern in _HANDLE_SERVICES.items():
        if re.fullmatch(pattern, low):
            return kind
    return "handle"


def find_handles(text: str) -> list[FoundHandle]:
    """Messenger handles after a service name ("snap: lisa_nl", "t.me/lisa"), lower-cased."""
    out: list[FoundHandle] = []
    short = _short_handles(text) if ":" in text else []
    if not _names_a_service(lowered(text)):
        return short
    for m in _HANDLE.finditer(text):
        handle = m.group("h").rstrip(".").lower()
        if handle in _STOP or handle.isdigit():
            continue
        if not m.group("sep").strip() and len(handle) < 10 and not any(c.isdigit() or c in "_." for c in handle):
            # "snap chat", "insta model": a short plain word right after the service name is an
            # ordinary word; handles without a ":" or "@" run words together or carry digits
            continue
        kind = _kind_of(m.group("svc"))
        if kind == "whatsapp":
            continue  # WhatsApp is reached through a phone number, found by the phone reader
        out.append(FoundHandle(kind, handle, m.start("h"), m.end("h")))
    for m in _URL_HANDLE.finditer(text):
        host = m.group().split("/", 1)[0].lower()
        kind = next((k for h, k in _URL_KIND.items() if host.startswith(h.split("/")[0])), "handle")
        out.append(FoundHandle(kind, m.group("h").rstrip(".").lower(), m.start("h"), m.end("h")))
    return out + short


def _short_handles(text: str) -> list[FoundHandle]:
    """Handles after a short service name and a colon ("tg: lisa_nl", "sc: lisa", "OF: lisa")."""
    out: list[FoundHandle] = []
    for m in _SHORT_HANDLE.finditer(text):
        handle = m.group("h").rstrip(".").lower()
        if handle not in _STOP:
            out.append(FoundHandle(_SHORT_SERVICES[m.group("svc").lower()], handle, m.start("h"), m.end("h")))
    return out
