import os
texinfo_documents = [
    (
        master_doc,
        "PostgREST",
        "PostgREST Documentation",
        author,
        "PostgREST",
        "REST API for any PostgreSQL database",
        "Web",
    ),
]
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "/")
