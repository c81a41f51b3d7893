"""The part of :mod:`dataclasses` xlscore uses, made with one compile per class.

Why: the standard decorator inspects every annotation and compiles each generated method on its own. On this
machine that is about 1 ms per class when the module is imported; the 49 classes on `xlscore check`'s path cost
56 ms of a one-form run of about 280 ms (plus 9 ms for importing :mod:`inspect`, which only dataclasses needed).
Start-up is most of what a one-form check costs (issue 17), so the classes on that path use this instead.

What it makes is what ``@dataclass`` / ``@dataclass(frozen=True)`` makes for the classes here, and
``tests/test_records.py`` compares the two on the same class bodies:

- ``__init__`` with the fields in order (a base record's fields first), defaults and ``field(default_factory=…)``;
- ``__repr__`` ``Name(a=1, b=2)`` over the fields with ``repr`` true (``field(repr=False)`` leaves one out);
- ``__eq__`` comparing the fields' tuple with another instance of the same class;
- ``__hash__``: ``None`` (unhashable) unless frozen, then the fields' hash; a ``__hash__`` written in the body stays;
- frozen: assigning or deleting an attribute raises :class:`FrozenInstanceError` (an ``AttributeError``);
- methods written in the class body are kept, as dataclasses keeps them;
- :func:`replace` and :func:`fields` for code that needs the field names.

Not supported (nothing here uses them; the decorator refuses rather than ignores them): ``ClassVar``/``InitVar``
annotations, ``__post_init__``, ``order``, ``slots``, ``kw_only``, ``init=False`` fields.
"""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["dataclass", "field", "replace", "fields", "FrozenInstanceError"]


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    __slots__ = ("name", "default", "default_factory", "repr")

    def __init__(self, default: Any = MISSING, default_factory: Callable[[], Any] | Any = MISSING,
                 repr: bool = True) -> None:                                     # noqa: A002 (dataclasses' name)
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.repr = repr


def field(*, default: Any = MISSING, default_factory: Any = MISSING, repr: bool = True) -> Any:   # noqa: A002
    """Like :func:`dataclasses.field` for the arguments xlscore uses."""
    return Field(default, default_factory, repr)


_FIELDS = "__record_fields__"


def fields(obj_or_cls: Any) -> tuple[Field, ...]:
    """The record's fields, in ``__init__`` order."""
    try:
        return getattr(obj_or_cls, _FIELDS)
    except AttributeError:
        raise TypeError("must be called with a record type or instance") from None


def is_record(obj: Any) -> bool:
    return hasattr(type(obj) if not isinstance(obj, type) else obj, _FIELDS)


def replace(obj: Any, /, **changes: Any) -> Any:
    """A copy of ``obj`` with some fields changed, like :func:`dataclasses.replace`."""
    for f in fields(obj):
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


def _annotation_is_unsupported(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return "ClassVar" in text or "InitVar" in text or "KW_ONLY" in text


def _process(cls: type, frozen: bool) -> type:
    own = cls.__dict__.get("__annotations__", {})
    collected: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        for f in base.__dict__.get(_FIELDS, ()):
            collected[f.name] = f
    for name, annotation in own.items():
        if _annotation_is_unsupported(annotation):
            raise TypeError(f"{cls.__qualname__}.{name}: records do not support {annotation!r}")
        value = cls.__dict__.get(name, MISSING)
        if isinstance(value, Field):
            f = value
            if f.default is MISSING:
                delattr(cls, name)       # as dataclasses does: no class attribute for a factory or a required field
            else:
                setattr(cls, name, f.default)
        else:
            f = Field(default=value)
            if isinstance(value, (list, dict, set)):
                raise ValueError(f"mutable default {type(value)} for field {name} is not allowed: use default_factory")
        f.name = name
        collected[name] = f
    if "__post_init__" in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: records do not support __post_init__")
    flds = tuple(collected.values())

    env: dict[str, Any] = {"MISSING": MISSING, "FrozenInstanceError": FrozenInstanceError, "cls": cls,
                           "_setattr": object.__setattr__}
    params, body = [], []
    seen_default = False
    for f in flds:
        n = f.name
        if f.default_factory is not MISSING:
            env[f"_factory_{n}"] = f.default_factory
            params.append(f"{n}=MISSING")
            value = f"_factory_{n}() if {n} is MISSING else {n}"
            seen_default = True
        elif f.default is not MISSING:
            env[f"_default_{n}"] = f.default
            params.append(f"{n}=_default_{n}")
            value = n
            seen_default = True
        else:
            if seen_default:
                raise TypeError(f"non-default argument {n!r} follows default argument")
            params.append(n)
            value = n
        body.append(f"  _setattr(self, {n!r}, {value})" if frozen else f"  self.{n} = {value}")
    src = [f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):"]
    src += body or ["  pass"]
    shown = [f.name for f in flds if f.repr]
    src.append("def __repr__(self):")
    src.append("  return self.__class__.__qualname__ + '(' + "
               + (" + ', ' + ".join(f"{n!r} + '=' + repr(self.{n})" for n in shown) if shown else "''") + " + ')'")
    key = "(" + "".join(f"self.{f.name}," for f in flds) + ")"
    other = "(" + "".join(f"other.{f.name}," for f in flds) + ")"
    src.append("def __eq__(self, other):")
    src.append(f"  if other.__class__ is self.__class__: return {key} == {other}")
    src.append("  return NotImplemented")
    if frozen:
        src.append("def __hash__(self):")
        src.append(f"  return hash({key})")
        src.append("def __setattr__(self, name, value):")
        src.append("  if type(self) is cls or name in cls.__record_names__:")
        src.append("    raise FrozenInstanceError(f'cannot assign to field {name!r}')")
        src.append("  super(cls, self).__setattr__(name, value)")
        src.append("def __delattr__(self, name):")
        src.append("  if type(self) is cls or name in cls.__record_names__:")
        src.append("    raise FrozenInstanceError(f'cannot delete field {name!r}')")
        src.append("  super(cls, self).__delattr__(name)")
    namespace: dict[str, Any] = {}
    exec("\n".join(src), env, namespace)                                         # noqa: S102 (generated above)

    class_hash = cls.__dict__.get("__hash__", MISSING)
    explicit_hash = not (class_hash is MISSING or (class_hash is None and "__eq__" in cls.__dict__))
    for name, fn in namespace.items():
        if name == "__hash__":
            continue
        if name in cls.__dict__ and name not in ("__setattr__", "__delattr__"):
            continue                     # a method written in the body wins, as with dataclasses
        if name in ("__setattr__", "__delattr__") and name in cls.__dict__:
            raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
        fn.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, fn)
    if not explicit_hash:
        if frozen:
            namespace["__hash__"].__qualname__ = f"{cls.__qualname__}.__hash__"
            cls.__hash__ = namespace["__hash__"]
        else:
            cls.__hash__ = None          # eq without frozen: unhashable, as dataclasses makes it
    setattr(cls, _FIELDS, flds)
    cls.__record_names__ = frozenset(f.name for f in flds)
    cls.__match_args__ = tuple(f.name for f in flds)
    return cls


def dataclass(cls: type | None = None, /, *, frozen: bool = False) -> Any:
    """``@dataclass`` or ``@dataclass(frozen=True)``, made with one compile (see the module's text)."""
    def wrap(c: type) -> type:
        return _process(c, frozen)
    return wrap if cls is None else wrap(cls)
