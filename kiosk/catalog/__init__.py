"""The bureau's service catalog: catalog.yaml → frozen, validated models; search index."""

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.loader import CatalogError, CatalogProblem, load_catalog, parse_catalog

__all__ = ["Catalog", "CatalogError", "CatalogProblem", "load_catalog", "parse_catalog"]
