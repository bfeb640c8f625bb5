"""Route dependencies, as types a signature can read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.knowledge.index import KnowledgeBase


# Async, so FastAPI calls it on the event loop instead of hopping to the threadpool for an attribute read.
async def get_knowledge(request: Request) -> KnowledgeBase:
    return request.app.state.knowledge


KnowledgeDep = Annotated[KnowledgeBase, Depends(get_knowledge)]
