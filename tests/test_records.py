"""xlscore.records makes the classes the standard dataclasses would, for the features xlscore uses (issue 17: start-up).

Each class body below is decorated twice, once by each decorator, and the two results must behave alike: the same
__init__ signature and defaults, repr, equality, hashing, frozen errors, inheritance and replace. The last tests walk
the package's own records (tests/test_usage.py checks that a check no longer imports dataclasses)."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from xlscore import records


def both(body, frozen=False):
    """The same class body under the stdlib decorator and under records.dataclass."""
    std = dataclasses.dataclass(frozen=frozen)(type(body.__name__, (), dict(_clean(body))))
    rec = records.dataclass(frozen=frozen)(type(body.__name__, (), dict(_clean(body, records.field))))
    return std, rec


def _clean(body, field=dataclasses.field):
    ns = {k: v for k, v in body.__dict__.items() if k not in ("__dict__", "__weakref__")}
    for k, v in list(ns.items()):
        if isinstance(v, _F):
            ns[k] = field(**v.kw)
    return ns


class _F:
    def __init__(self, **kw):
        self.kw = kw


class Plain:
    __annotations__ = {"a": "int", "b": "str", "c": "list", "d": "dict | None", "hidden": "int"}
    b = "x"
    c = _F(default_factory=list)
    d = None
    hidden = _F(default=7, repr=False)

    def total(self):
        return self.a + len(self.c)


def test_init_defaults_and_factories_are_alike():
    std, rec = both(Plain)
    assert list(inspect.signature(std).parameters) == list(inspect.signature(rec).parameters)
    for cls in (std, rec):
        x, y = cls(1), cls(1)
        assert (x.a, x.b, x.c, x.d, x.hidden) == (1, "x", [], None, 7)
        assert x.c is not y.c                       # a fresh list each time
        assert x.total() == 1
        assert cls(1, "y", [2], {"k": 1}, 9).hidden == 9
        assert cls(a=3, hidden=1).a == 3
        with pytest.raises(TypeError):
            cls()
        with pytest.raises(TypeError):
            cls(1, bogus=2)
        assert not hasattr(cls, "c")                # no class attribute for a factory field, as dataclasses does
        assert cls.b == "x" and cls.hidden == 7


def test_repr_eq_and_hash_are_alike():
    std, rec = both(Plain)
    assert repr(std(1, c=[1])).replace(std.__qualname__, "N") == repr(rec(1, c=[1])).replace(rec.__qualname__, "N")
    assert "hidden" not in repr(rec(1))
    assert rec(1, c=[1]) == rec(1, c=[1]) and rec(1) != rec(2)
    assert rec(1) != std(1) and (rec(1) == 1) is False
    assert std.__hash__ is None and rec.__hash__ is None       # eq without frozen: unhashable
    with pytest.raises(TypeError):
        hash(rec(1))


class Point:
    __annotations__ = {"x": "int", "y": "int"}
    y = 0


def test_frozen_is_alike():
    std, rec = both(Point, frozen=True)
    for cls in (std, rec):
        p = cls(1, 2)
        assert hash(p) == hash(cls(1, 2)) == hash((1, 2))
        assert {p, cls(1, 2)} == {p}
        with pytest.raises(AttributeError) as err:
            p.x = 5
        assert "x" in str(err.value)
        with pytest.raises(AttributeError):
            del p.y
    assert issubclass(records.FrozenInstanceError, AttributeError)


def test_inheritance_puts_base_fields_first():
    @dataclasses.dataclass
    class SBase:
        a: int
        b: int = 1

    @dataclasses.dataclass
    class SChild(SBase):
        c: int = 2
        b: int = 5

    @records.dataclass
    class RBase:
        a: int
        b: int = 1

    @records.dataclass
    class RChild(RBase):
        c: int = 2
        b: int = 5

    assert [f.name for f in dataclasses.fields(SChild)] == [f.name for f in records.fields(RChild)] == ["a", "b", "c"]
    s, r = SChild(0), RChild(0)
    assert (s.a, s.b, s.c) == (r.a, r.b, r.c) == (0, 5, 2)
    assert records.replace(r, c=9) == RChild(0, 5, 9)
    assert dataclasses.replace(s, c=9) == SChild(0, 5, 9)


def test_methods_written_in_the_body_win():
    @records.dataclass
    class Custom:
        a: int

        def __repr__(self):
            return "custom"

        def __eq__(self, other):
            return True

        __hash__ = object.__hash__

    assert repr(Custom(1)) == "custom" and Custom(1) == Custom(2)
    assert hash(Custom(1)) != 0


def test_what_records_do_not_support_is_refused():
    with pytest.raises(TypeError):
        @records.dataclass
        class A:
            a: "ClassVar[int]" = 1          # noqa: F821
    with pytest.raises(TypeError):
        @records.dataclass
        class B:
            a: int = 1
            b: int
    with pytest.raises(ValueError):
        @records.dataclass
        class C:
            a: list = []                     # noqa: RUF012
    with pytest.raises(TypeError):
        @records.dataclass
        class D:
            a: int

            def __post_init__(self):
                pass


def test_the_package_records_are_records():
    from xlscore import grid, model, report
    from xlscore.evaluate import selfassess
    from xlscore.read import tree
    for cls in (model.Field, model.Form, grid.Grid, grid.Cell, report.Finding, selfassess.RowEval, tree.Node):
        assert records.is_record(cls), cls
        assert not dataclasses.is_dataclass(cls), cls


def test_package_records_survive_pickling_as_batch_workers_send_them():
    from xlscore.model import Deferral
    from xlscore.report import Finding
    d = Deferral(**{f.name: f"v{i}" for i, f in enumerate(records.fields(Deferral))})
    assert pickle.loads(pickle.dumps(d)) == d and hash(pickle.loads(pickle.dumps(d))) == hash(d)
    f = Finding(**{x.name: None for x in records.fields(Finding)})
    assert pickle.loads(pickle.dumps(f)) == f


def test_a_form_is_walked_in_field_order():
    """checks.selfassess._form_fields keeps, for each cell, the first Field met walking the form's records field by
    field in declaration order (as it did over dataclasses' ordered fields), not in a set's hash order."""
    from xlscore.checks.selfassess import _form_fields
    from xlscore.model import Field
    names = [f"f{i:02d}" for i in range(20)]
    Many = records.dataclass(type("Many", (), {"__annotations__": {n: "object" for n in names}}))
    form = Many(*[Field(3, 4, f"raw {n}") for n in names])         # twenty readings of one cell
    assert [f.raw for f in _form_fields(form)] == ["raw f00"]
