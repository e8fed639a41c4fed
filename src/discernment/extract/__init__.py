"""Pipeline components, one per file, each registered under a versioned name (``claims.v1``) in
:data:`discernment.registry.components` and imported on first lookup."""
