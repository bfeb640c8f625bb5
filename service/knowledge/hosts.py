"""Which hosts a knowledge record may name as a source: an allowlist, so proxies, bare IP addresses,
test or staging hosts and unknown copies are refused by the knowledge check."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlparse

# Hosts whose pages are the US label itself (FDA, NLM) or the label holder's own copy of it: wording read
# there counts as the label's wording.
LABEL_TEXT_HOSTS = frozenset(
    {
        "dailymed.nlm.nih.gov",
        "api.fda.gov",
        "www.accessdata.fda.gov",
        "labeling.pfizer.com",
        "pfizermedicalinformation.com",
        "www.pfizermedicalinformation.com",
        "www.pfizermedical.com",
        "www.tukysahcp.com",
        "www.imbruvicahcp.com",
        "www.venclextahcp.com",
        "ayvakithcp.com",
        "www.gavreto-hcp.com",
        "hcp.vitrakvi-us.com",
        "dsiaccesscentral.com",  # Daiichi Sankyo's US HCP pages (VANFLYTA boxed warning)
        "dailymed-us-east-1.awsprod.nlm.nih.gov",
    }
)

# Further hosts accepted as provenance (what a curator read), never as the label: registries, literature,
# regulators, drug references and full copies of the US label whose version must be checked.
PROVENANCE_HOSTS = frozenset(
    {
        "www.fda.gov",
        "rxnav.nlm.nih.gov",
        "mor.nlm.nih.gov",
        "www.nlm.nih.gov",
        "pubmed.ncbi.nlm.nih.gov",
        "pubmed.gov",
        "www.pubmed.gov",
        "pmc.ncbi.nlm.nih.gov",
        "www.ncbi.nlm.nih.gov",
        "doi.org",
        "www.ema.europa.eu",
        "cardiooncologyjournal.biomedcentral.com",
        "rd.springer.com",
        "www.springermedizin.de",
        "oncologypro.esmo.org",
        "www.drugs.com",
        "www.drugeruptiondata.com",  # Litt's Drug Eruption and Reaction Database: reproduces US boxed warnings
        "www.immunology.ox.ac.uk",  # University of Oxford publications pages: reproduce journal abstracts (dabrafenib DDI study)
        "reference.medscape.com",
        "www.druglib.com",
        "medlibrary.org",
        "www.120ty.net",
        "www.inpharmation.in",
        "m.laoslucius.com",
        "www.laoslucius.com",
        "www.pfizermedicalinformation.ca",
        "www.pfizermedicalinformation.co.nz",
        "www.pfizerpro.co.za",
        "ch.oddb.org",
        "www.ncoda.org",
        "www.accp1.org",
        "pro.boehringer-ingelheim.com",
        "www.renalandurologynews.com",
        "www.cigna.com",
        "www.rxreasoner.com",
        "rxreasoner.com",
        "blackboxrx.com",
        "build.fhir.org",
        "www.hl7.org",
        "www.cancer.gov",  # NCI's drug information pages: their DailyMed link names a set ID (`nci_drug_page_link`)
        # a repository file read at a pinned commit (RxNorm-derived code lists); an unpinned address may change
        "github.com",
    }
)

# GitHub addresses are accepted only with the commit read in them (/blob/<commit>/... or /tree/<commit>/...).
_GITHUB_PINNED = re.compile(r"^/[^/]+/[^/]+/(?:blob|tree)/[0-9a-f]{40}(?:/|$)")

# Faithful copies of DailyMed pages, keyed by the set ID: a set ID read there (with the product name and the
# label holder) is recorded as `copy_of_dailymed`, never as read on DailyMed, and their text is never the label.
DAILYMED_COPY_HOSTS = frozenset(
    {
        "fda.report",
        "drugcentral.org",
        "pillsync.com",
        "www.guidelinecentral.com",
        "trial.medpath.com",
    }
)

# Where a set ID read counts as read on DailyMed or openFDA themselves.
DAILYMED_HOSTS = frozenset({"dailymed.nlm.nih.gov", "dailymed-us-east-1.awsprod.nlm.nih.gov"})
OPENFDA_HOSTS = frozenset({"api.fda.gov"})
# NCI's drug information pages, whose "FDA label information ... at DailyMed" link carries a set ID.
NCI_DRUG_PAGE_HOSTS = frozenset({"www.cancer.gov"})
NCI_DRUG_PAGE_PATH = "/about-cancer/treatment/drugs/"

ALLOWED_SOURCE_HOSTS = LABEL_TEXT_HOSTS | PROVENANCE_HOSTS | DAILYMED_COPY_HOSTS


def _address_problem(url: str) -> tuple[str | None, str]:
    """What is wrong with the address itself (scheme, bare IP, odd port), and its lower-cased host."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if parsed.scheme not in ("https", "http"):
        return "is not an http(s) address", host
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "is a bare IP address", host
    if parsed.port not in (None, 80, 443):
        return "names a non-standard port (a proxy or test server)", host
    return None, host


def source_host_problem(url: str) -> str | None:
    """Why `url` may not be named as a label source, or None when it may: only allowlisted hosts."""
    problem, host = _address_problem(url)
    if problem is None and host not in ALLOWED_SOURCE_HOSTS:
        return f"is on {host}, which is not an accepted source host"
    if problem is None and host == "github.com" and not _GITHUB_PINNED.match(urlparse(url).path):
        return "is a GitHub address without the commit read (use /blob/<40-hex commit>/<path>)"
    return problem


def set_id_kind_problem(kind: str, url: str) -> str | None:
    """Why a set ID said to be verified as `kind` cannot have been read at `url`, or None when it can."""
    host = (urlparse(url).hostname or "").lower()
    if kind == "dailymed" and host not in DAILYMED_HOSTS:
        return f"set_id_verified: dailymed, but {host} is not DailyMed"
    if kind == "openfda" and host not in OPENFDA_HOSTS:
        return f"set_id_verified: openfda, but {host} is not openFDA"
    if kind in ("copy_of_dailymed", "openfda_copy") and host in DAILYMED_HOSTS | OPENFDA_HOSTS:
        return f"set_id_verified: {kind}, but {host} is DailyMed or openFDA itself (say so)"
    if kind == "copy_of_dailymed" and host not in DAILYMED_COPY_HOSTS:
        return f"set_id_verified: copy_of_dailymed, but {host} is not a known copy of DailyMed"
    if kind == "nci_drug_page_link" and host not in NCI_DRUG_PAGE_HOSTS:
        return f"set_id_verified: nci_drug_page_link, but {host} is not NCI's drug information site"
    if kind == "nci_drug_page_link" and not urlparse(url).path.startswith(NCI_DRUG_PAGE_PATH):
        return f"set_id_verified: nci_drug_page_link, but the address is not an NCI drug information page ({NCI_DRUG_PAGE_PATH}...)"
    if kind != "nci_drug_page_link" and host in NCI_DRUG_PAGE_HOSTS:
        return f"set_id_verified: {kind}, but {host} is NCI's drug information site (nci_drug_page_link)"
    return None


def is_label_text_url(url: str) -> bool:
    return (urlparse(url).hostname or "").lower() in LABEL_TEXT_HOSTS


def evidence_host_problem(url: str) -> str | None:
    """Evidence may come from any journal or registry, but never through a proxy or a bare IP address."""
    problem, host = _address_problem(url)
    if problem is None and ("proxy" in host or "weglot" in host or "translate.goog" in host or "url=" in urlparse(url).query):
        return "goes through a proxy"
    return problem
