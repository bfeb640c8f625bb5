# tki-cds: slim, non-root, with the knowledge store built into the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    TKI_CDS_KNOWLEDGE_DIR=/app/knowledge \
    TKI_CDS_KNOWLEDGE_DB_URL=sqlite:////app/build/knowledge.sqlite

WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY schemas ./schemas
COPY knowledge ./knowledge
RUN pip install ".[postgres]" \
    && python -m service.knowledge build \
    && useradd --system --uid 10001 --no-create-home tki \
    && chown -R tki /app/build

USER tki
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status == 200 else 1)"]
# The launcher verifies the store, then runs uvicorn with its limits (no access log, no server banner,
# forwarded headers only from TKI_CDS_FORWARDED_ALLOW_IPS, slow and idle clients timed out).
CMD ["python", "-m", "service.serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
