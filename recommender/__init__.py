"""Hybrid product recommender: plain data in, item ids with scores and reasons out.

Typical use from an action::

    loader = ModelLoader(models_dir / "recommender")        # once, cached
    model = loader.get().model                                # per request, cheap
    suggestions = model.recommend(
        contact_id,
        context=Context(text=latest_message, item_ids=tuple(clicked_ids)),
        constraints=Constraints.of(categories=["lighting"], max_price=50, exclude_ids=rejected),
        k=3,
    )
"""

from recommender.base import NotFittedError, Recommender
from recommender.collaborative import ALSRecommender, EASERecommender, ItemKNNRecommender
from recommender.constraints import Constraints
from recommender.content import ContentRecommender
from recommender.data import Context, Interactions, Item, Recommendation
from recommender.evaluation import RankingMetrics, evaluate, ranking_metrics
from recommender.hybrid import HybridRecommender
from recommender.popularity import PopularityRecommender
from recommender.store import LoadedModel, ModelLoader, ModelStore, NoModelError
from recommender.trend import TrendRecommender

__all__ = [
    "ALSRecommender",
    "Constraints",
    "ContentRecommender",
    "Context",
    "EASERecommender",
    "HybridRecommender",
    "Interactions",
    "Item",
    "ItemKNNRecommender",
    "LoadedModel",
    "ModelLoader",
    "ModelStore",
    "NoModelError",
    "NotFittedError",
    "PopularityRecommender",
    "RankingMetrics",
    "Recommendation",
    "Recommender",
    "TrendRecommender",
    "evaluate",
    "ranking_metrics",
]
