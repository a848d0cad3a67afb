"""Word lists the demo shop builds its catalogue and customers from.

Each category lists kinds of item (base price in EUR, a short blurb, whether customers run
out of it and buy again, and the styles that make sense for it, else the category's).
Product names are "<style> <kind>", e.g. "Blue Glass Lantern".
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of item within a category, e.g. a lantern."""

    noun: str
    base_price: float
    blurb: str
    consumable: bool = False
    styles: tuple[str, ...] = ()


@dataclass(frozen=True)
class CategorySpec:
    """A catalogue category: SKU prefix, item kinds, default styles and selling points."""

    name: str
    code: str
    kinds: tuple[Kind, ...]
    styles: tuple[str, ...]
    selling_points: tuple[str, ...]


# Kept compact by hand: this is data.
# fmt: off
# Styles that make an item noticeably dearer than its kind's base price.
PREMIUM_STYLES = frozenset({
    "Brass", "Copper", "Walnut", "Leather", "Wool", "Velvet", "Luxury", "Deluxe", "Premium",
    "Titanium", "Damascus", "Japanese", "Washed Linen", "Turkish Cotton", "Ultralight",
})
BUDGET_STYLES = frozenset({"Mini", "Little", "Compact", "Everyday", "Recycled", "Kraft"})

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "lighting", "LGT",
        (
            Kind("Lantern", 24, "a portable light for tables, balconies and porches"),
            Kind("Table Lamp", 45, "a warm reading light for side tables"),
            Kind("Pendant Light", 69, "a ceiling light that hangs over dining tables"),
            Kind("String Lights", 19, "twenty small bulbs on a soft cable"),
            Kind("Desk Lamp", 35, "an adjustable arm lamp for focused work"),
            Kind("Candle Holder", 12, "a steady holder for pillar and dinner candles"),
            Kind("Pillar Candles (set of 3)", 9, "slow-burning unscented candles", True,
                 ("Ivory", "Sage", "Charcoal", "Blush")),
            Kind("Night Light", 15, "a soft glow for hallways and children's rooms"),
        ),
        ("Blue Glass", "Brass", "Rattan", "Ceramic", "Matte Black", "Copper", "Frosted", "Oak"),
        ("Takes standard E27 bulbs.", "Comes with a two-metre fabric cable.",
         "Designed in Copenhagen.", "Dimmable with a compatible switch."),
    ),
    CategorySpec(
        "kitchen", "KIT",
        (
            Kind("Chef's Knife", 39, "a balanced 20 cm blade for everyday cutting", False,
                 ("Damascus", "Stainless", "Walnut Handle", "Japanese")),
            Kind("Cutting Board", 22, "a generous board that is kind to knife edges", False,
                 ("Walnut", "Bamboo", "Olive Wood", "Oak")),
            Kind("Coffee Beans 500 g", 11, "medium roast beans from a small roastery", True,
                 ("Colombian", "Ethiopian", "Espresso", "Decaf")),
            Kind("Loose Leaf Tea 100 g", 8, "a fragrant blend for the teapot", True,
                 ("Earl Grey", "Green", "Chamomile", "Breakfast")),
            Kind("Teapot", 29, "a one-litre pot with a removable infuser"),
            Kind("Mixing Bowl Set", 27, "three nesting bowls for baking"),
            Kind("Cast Iron Pan", 49, "a pan that goes from hob to oven", False,
                 ("Classic", "Enamelled", "Pre-seasoned")),
            Kind("Dish Brushes (pack of 2)", 6, "replaceable-head brushes for washing up", True,
                 ("Bamboo", "Beech", "Sisal")),
        ),
        ("Stoneware", "Enamel", "Speckled", "Stainless", "Copper"),
        ("Dishwasher safe.", "Made to last for years of daily use.",
         "A favourite of our own kitchen team.", "Plastic-free packaging."),
    ),
    CategorySpec(
        "garden", "GDN",
        (
            Kind("Watering Can", 21, "a balanced can with a fine rose", False,
                 ("Galvanised", "Sage Green", "Heritage", "Copper")),
            Kind("Pruning Shears", 26, "sharp bypass shears for stems up to 2 cm", False,
                 ("Ash Handle", "Heritage", "Forged", "Compact")),
            Kind("Plant Pot", 14, "a pot with a drainage hole and saucer", False,
                 ("Terracotta", "Slate", "Sage Green", "Recycled", "Speckled")),
            Kind("Herb Seed Kit", 9, "six herbs to sow on a sunny windowsill", True,
                 ("Italian", "Kitchen", "Tea Herb")),
            Kind("Organic Fertiliser 1 kg", 12, "slow-release feed for beds and pots", True,
                 ("Tomato", "Rose", "All-Purpose")),
            Kind("Bird Feeder", 18, "a feeder that keeps seed dry", False,
                 ("Heritage", "Galvanised", "Forest", "Recycled")),
            Kind("Kneeling Pad", 11, "a thick pad that spares your knees"),
            Kind("Garden Gloves", 10, "breathable gloves with grippy palms", True),
        ),
        ("Sage Green", "Forest", "Heritage", "Slate"),
        ("Frost resistant.", "Made from recycled materials.",
         "Sized for balconies as well as gardens.", "Tested by our allotment club."),
    ),
    CategorySpec(
        "toys", "TOY",
        (
            Kind("Wooden Train Set", 39, "a starter track with three carriages"),
            Kind("Building Blocks", 29, "fifty blocks in five shapes"),
            Kind("Plush Bear", 19, "a soft bear for cuddles and naps"),
            Kind("Puzzle 500 pieces", 16, "a puzzle for rainy afternoons"),
            Kind("Kite", 22, "a single-line kite for beginners"),
            Kind("Marble Run", 34, "a modular run with twenty marbles"),
            Kind("Crayons (pack of 24)", 7, "bright crayons that do not snap", True,
                 ("Rainbow", "Pastel", "Jungle", "Ocean")),
            Kind("Stacking Rings", 14, "first toy for little hands"),
        ),
        ("Rainbow", "Pastel", "Jungle", "Ocean", "Classic", "Mini", "Deluxe", "Forest"),
        ("Safety tested to EN 71.", "Finished with water-based paints.",
         "Suitable from 3 years.", "Packed in a reusable box."),
    ),
    CategorySpec(
        "stationery", "STA",
        (
            Kind("Notebook A5", 12, "a dotted notebook that lies flat", True),
            Kind("Fountain Pen", 32, "a smooth steel-nib pen", False,
                 ("Navy", "Midnight", "Marbled", "Brass", "Classic")),
            Kind("Ink Cartridges (pack of 10)", 5, "standard international cartridges", True,
                 ("Blue", "Black", "Turquoise", "Violet")),
            Kind("Desk Organiser", 24, "a tray for pens, clips and notes", False,
                 ("Kraft", "Oak", "Leather", "Recycled", "Navy")),
            Kind("Weekly Planner", 15, "an undated planner for a year of weeks", True),
            Kind("Greeting Cards (set of 6)", 9, "blank cards with envelopes", True),
            Kind("Pencil Case", 13, "a zipped case that holds twenty pens"),
            Kind("Washi Tape Set", 8, "five rolls of paper tape", True,
                 ("Botanical", "Pastel", "Midnight", "Marbled")),
        ),
        ("Linen", "Kraft", "Navy", "Botanical", "Leather", "Recycled", "Midnight", "Marbled"),
        ("Fountain-pen friendly 100 g paper.", "Printed in Europe.",
         "Refillable.", "A thoughtful present for students."),
    ),
    CategorySpec(
        "home textiles", "TEX",
        (
            Kind("Throw Blanket", 49, "a soft throw for sofas and beds"),
            Kind("Cushion Cover", 19, "a 50 x 50 cm cover with a hidden zip"),
            Kind("Bath Towel", 22, "a thirsty towel that dries quickly", False,
                 ("Organic Cotton", "Waffle", "Striped", "Turkish Cotton")),
            Kind("Table Runner", 24, "a runner for a dining table of six"),
            Kind("Duvet Cover", 69, "a breathable cover for a double duvet"),
            Kind("Tea Towels (set of 2)", 12, "absorbent towels for the kitchen", True,
                 ("Waffle", "Striped", "Washed Linen", "Mustard")),
            Kind("Curtain Panel", 39, "a lined panel that softens the light"),
            Kind("Bath Mat", 18, "a non-slip mat for the bathroom", False,
                 ("Waffle", "Striped", "Organic Cotton", "Mustard")),
        ),
        ("Washed Linen", "Chunky Knit", "Organic Cotton", "Striped", "Mustard", "Velvet",
         "Wool"),
        ("Machine washable at 40 degrees.", "OEKO-TEX certified.",
         "Gets softer with every wash.", "Woven in Portugal."),
    ),
    CategorySpec(
        "gifts", "GFT",
        (
            Kind("Gift Box", 35, "a curated box wrapped and ready to give"),
            Kind("Scented Candle", 19, "a hand-poured candle with forty hours of burn", True,
                 ("Lavender", "Winter Spice", "Fig", "Sea Salt", "Cedar")),
            Kind("Photo Frame", 17, "a frame for 13 x 18 cm prints", False,
                 ("Gold Foil", "Oak", "Brass", "Little", "Luxury")),
            Kind("Chocolate Selection", 14, "twelve pralines from a Belgian chocolatier", True),
            Kind("Keepsake Box", 26, "a lidded box for letters and treasures"),
            Kind("Bath Salts", 11, "mineral salts with essential oils", True,
                 ("Lavender", "Eucalyptus", "Rose", "Luxury")),
            Kind("Gift Card Holder", 6, "a card sleeve with a handwritten look", False,
                 ("Birthday", "Thank You", "Gold Foil")),
            Kind("Mug", 15, "a 350 ml mug for slow mornings", False,
                 ("Cosy", "Birthday", "Thank You", "Speckled", "Winter Spice")),
        ),
        ("Birthday", "Gold Foil", "Cosy", "Thank You", "Winter Spice", "Luxury", "Little"),
        ("Gift wrapping included.", "Add a message at checkout.",
         "A customer favourite at Christmas.", "Ships in two working days."),
    ),
    CategorySpec(
        "camping", "CMP",
        (
            Kind("Camping Mug", 14, "a light mug that hangs on a backpack", False,
                 ("Enamel", "Titanium", "Speckled", "Olive")),
            Kind("Headlamp", 29, "a 300-lumen lamp with a red night mode"),
            Kind("Sleeping Bag", 89, "a three-season bag rated to 2 degrees"),
            Kind("Water Bottle", 21, "a one-litre bottle that keeps drinks cold", False,
                 ("Titanium", "Trail", "Olive", "Summit")),
            Kind("Camp Stove Gas 450 g", 8, "a screw-on gas canister", True,
                 ("Trail", "Alpine", "Summit")),
            Kind("Folding Chair", 39, "a packable chair for festivals and camps"),
            Kind("Picnic Blanket", 34, "a blanket with a waterproof backing", False,
                 ("Canvas", "Olive", "Forest", "Striped")),
            Kind("Firestarters (pack of 24)", 6, "odourless starters for stoves and fires", True,
                 ("Eco", "Trail", "Storm")),
        ),
        ("Trail", "Alpine", "Olive", "Ultralight", "Summit", "Basecamp", "Forest"),
        ("Tested on the Kungsleden trail.", "Packs down small.",
         "Comes with a lifetime repair service.", "Weatherproof."),
    ),
    CategorySpec(
        "pet supplies", "PET",
        (
            Kind("Dog Lead", 19, "a 1.8 m lead with a padded handle"),
            Kind("Cat Scratcher", 24, "a sturdy scratcher that saves the sofa"),
            Kind("Dry Cat Food 2 kg", 18, "grain-free food for adult cats", True,
                 ("Salmon", "Chicken", "Senior", "Kitten")),
            Kind("Dog Treats 300 g", 7, "single-ingredient training treats", True,
                 ("Beef", "Duck", "Salmon", "Puppy")),
            Kind("Pet Bed", 45, "a washable bed with raised sides"),
            Kind("Food Bowl", 12, "a non-slip bowl that is easy to clean"),
            Kind("Cat Litter 10 l", 13, "clumping litter made from plants", True,
                 ("Natural", "Everyday", "Premium")),
            Kind("Rope Toy", 9, "a tug toy that cleans teeth"),
        ),
        ("Cosy", "Charcoal", "Natural", "Tweed", "Everyday", "Premium", "Compact", "Outdoor"),
        ("Vet approved.", "Machine washable.", "Made without plastic where we could.",
         "Loved by our office dog."),
    ),
)

FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas",
    "Katrin", "Lars", "Maria", "Nils", "Olivia", "Paul", "Rosa", "Simon", "Tara", "Umar",
    "Vera", "William", "Yasmin", "Zoe", "Amir", "Beatriz", "Chen", "Dara", "Emil", "Fatima",
    "Giulia", "Henrik", "Isla", "Jakub", "Lena", "Mateo", "Nora", "Oskar", "Priya", "Sofia",
)
LAST_NAMES: tuple[str, ...] = (
    "Andersen", "Becker", "Costa", "Dubois", "Eriksson", "Fischer", "Garcia", "Hansen",
    "Ivanova", "Jensen", "Kowalski", "Larsen", "Martin", "Novak", "O'Brien", "Petersen",
    "Quinn", "Rossi", "Schmidt", "Tanaka", "Urban", "Visser", "Weber", "Xu", "Young",
    "Zimmermann", "Bauer", "Silva", "Moreau", "Nielsen",
)
# fmt: on
