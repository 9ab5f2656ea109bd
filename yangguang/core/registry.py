"""What the apps hand the shared kernel: core imports no app.

Each app's ``AppConfig.ready()`` registers here what core runs on its behalf, so the kernel names
no app module:

- the periodic tasks `yangguang clock` enqueues (``every_minute`` / ``daily``: dotted paths of
  django-tasks tasks, imported when the clock starts);
- the search source: the vocabularies the facets are labelled with (a module with ``Topic``,
  ``Genre`` and ``Validity`` choices) and the public documents the index must hold;
- the permission module's questions core asks (who may change settings through the admin, requeue
  a given-up message, see the 政务公开办 menu), by name.

Registration is idempotent (a second ``ready()`` changes nothing); the lists keep the order of
INSTALLED_APPS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

# The clock's rounds (core/management/commands/clock.py): dotted paths of tasks.
EVERY_MINUTE: list[str] = []
DAILY: list[str] = []


def every_minute(path: str) -> None:
    if path not in EVERY_MINUTE:
        EVERY_MINUTE.append(path)


def daily(path: str) -> None:
    if path not in DAILY:
        DAILY.append(path)


@dataclass(frozen=True)
class SearchSource:
    taxonomy: ModuleType  # Topic, Genre, Validity (TextChoices) label the facets
    public_documents: Callable[[], object]  # a queryset of the documents the index must hold


_search_source: SearchSource | None = None


def register_search_source(*, taxonomy: ModuleType, public_documents: Callable[[], object]) -> None:
    global _search_source
    _search_source = SearchSource(taxonomy, public_documents)


def search_source() -> SearchSource:
    if _search_source is None:
        raise ImproperlyConfigured("No app registered the search source (core.registry.register_search_source).")
    return _search_source


# The permission module's questions core asks (core cannot import orgs): name → question(user, *args).
_questions: dict[str, Callable[..., bool]] = {}


def register_question(name: str, question: Callable[..., bool]) -> None:
    """Registered by the permission module's app (orgs): e.g. "change_settings", "requeue_messages"."""
    _questions[name] = question


def ask(name: str, user, *args) -> bool:
    """The registered answer; nobody may, until the permission module registered the question."""
    question = _questions.get(name)
    return question is not None and bool(question(user, *args))


def may_change_settings(user) -> bool:
    """Who changes the system's settings through the admin."""
    return ask("change_settings", user)
