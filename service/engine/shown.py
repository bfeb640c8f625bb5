"""Response models assembled from parts already validated: at knowledge load, or as the engine's own typed values."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

Model = TypeVar("Model", bound=BaseModel)

_FIELD_ORDER: dict[type[BaseModel], tuple[tuple[str, ...], set[str]]] = {}


def assembled(model: type[Model], fields: dict[str, Any]) -> Model:
    """`model.model_construct(**fields)` for a response part the engine builds on every answer: its values are
    already models, validated knowledge facts or the engine's own strings and numbers, so validating them again
    only costs time. Given every field in the model's order (the order it is serialised in), the instance is made
    directly; pydantic's model_construct walks each field's aliases and defaults, which costs more than validating
    these small models. Anything else (a field left to its default) goes through model_construct. The dict becomes
    the instance's own: callers pass a new one."""
    known = _FIELD_ORDER.get(model)
    if known is None:
        # a model with private attributes or a post-init hook needs what model_construct does for them
        plain = not model.__private_attributes__ and not model.__pydantic_post_init__
        order = tuple(model.model_fields) if plain else ()
        known = _FIELD_ORDER[model] = (order, set(order))
    order, names = known
    if not order or tuple(fields) != order:
        return model.model_construct(**fields)
    shown = _new(model)
    _set_dict(shown, fields)
    _set_fields_set(shown, names.copy())
    _set_extra(shown, None)
    _set_private(shown, None)
    return shown


# the slots every pydantic model instance has, set as model_construct sets them
_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
