"""Who owns a path of the repository: the agency whose folder it is and whose reviewers
approve a change to it, or the site's publishers for everything that is not one agency's.

Pure functions of the catalog: ``gongkai check`` binds items to their folder's agency with
them, ``codeowners`` writes the forges' CODEOWNERS from them, and the review pipeline asks
them whose approval a changed file needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from gongkai.schema.catalog import Agency, Person, SiteSettings

#: folders under content/ shared by the whole site (rules pages, annual reports): the site
#: owner's (``site.yml`` ``owner``)
SHARED_FOLDERS = ("pages", "annual")
#: what only the site's publishers may change: the catalog, the program, the theme, the
#: build and the forges' settings (workflows and these very CODEOWNERS files)
PUBLISHER_PATHS = ("catalog/", "hooks/", "overrides/", "mkdocs.yml", "Makefile", "pyproject.toml",
                   ".github/", ".gitea/", ".gitlab/", ".ci/")


@dataclass(frozen=True)
class PathOwner:
    """Whose approval a change to ``path`` needs."""

    path: str
    #: the agency the path belongs to; None: a path only the site's publishers answer for
    agency: Agency | None
    #: that agency's reviewers (empty when ``agency`` is None)
    reviewers: tuple[Person, ...]
    publishers: tuple[Person, ...]
    #: content/<slug>/ of the agency's own folder, or a shared folder the site owner answers for
    folder: str | None = None

    @property
    def approvers(self) -> tuple[Person, ...]:
        """Who may approve the change: the agency's reviewers, else the publishers."""
        return self.reviewers if self.agency is not None else self.publishers


def site_owner(settings: SiteSettings, agencies: Sequence[Agency]) -> Agency | None:
    """The agency named as the site's 主办单位, if it is one of the catalog's."""
    return next((a for a in agencies if a.name == settings.owner), None)


def owner_of(path: str, settings: SiteSettings, agencies: Sequence[Agency]) -> PathOwner:
    """The owner of ``path`` (relative to the repository root, ``/``-separated)."""
    parts = PurePosixPath(path).parts
    publishers = tuple(settings.publishers)
    if len(parts) >= 3 and parts[0] == "content":
        folder = parts[1]
        if folder in SHARED_FOLDERS:
            agency = site_owner(settings, agencies)
        else:
            agency = next((a for a in agencies if a.slug == folder), None)
        if agency is not None:
            return PathOwner(path, agency, tuple(agency.reviewers), publishers, f"content/{folder}/")
    return PathOwner(path, None, (), publishers)


def people_declared(settings: SiteSettings, agencies: Sequence[Agency]) -> bool:
    """Whether the catalog says who may do what (else no forge rule can be generated)."""
    return bool(settings.publishers) or any(a.reviewers or a.editors for a in agencies)


def names(people: Sequence[Person]) -> str:
    """Display names for a message, ``（未登记）`` when there is nobody."""
    return "、".join(p.name for p in people) or "（未登记）"
