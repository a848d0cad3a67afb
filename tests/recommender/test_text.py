from recommender.text import CataloguePhrases, TextNormalizer


def test_normalizer_drops_stop_words_and_plurals() -> None:
    assert TextNormalizer().normalize("Do you have any Lanterns or boxes?") == "lantern box"


def test_phrases_prefer_the_longest_match() -> None:
    normalizer = TextNormalizer()
    phrases = CataloguePhrases(normalizer, {"glass lantern": [1], "lantern": [1, 2]})
    match = phrases.find("I'd like glass lanterns")
    assert match.phrases == ("glass lantern", "lantern")
    assert match.item_indices == (1, 2)


def test_phrases_find_nothing_in_unrelated_text() -> None:
    phrases = CataloguePhrases(TextNormalizer(), {"lantern": [0]})
    assert phrases.find("hello there").phrases == ()
