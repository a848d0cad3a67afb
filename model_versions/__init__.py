"""Versioned model folders, shared by the trained models (recommender, lead scoring).

`VersionedFolder` publishes each trained model as ``<root>/v000001/``, written to a
hidden staging folder and renamed into place, so a reader never sees half a model and
two trainers never take the same number. `LatestVersion` hands out the newest version,
loading it once and again only when a newer one appears.
"""

from model_versions.folder import VersionedFolder
from model_versions.latest import LatestVersion

__all__ = ["LatestVersion", "VersionedFolder"]
