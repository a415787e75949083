"""The write path: the build pipeline, its products and SHACL validation."""
