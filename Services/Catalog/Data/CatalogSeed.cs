using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults.Data;

namespace Shop.Catalog.Data;

/// <summary>Demo catalogue written into an empty database at start-up.</summary>
public sealed class CatalogSeed : IDatabaseSeeder<CatalogDbContext>
{
    private static readonly (string Category, (string Name, string Description, decimal Price)[] Products)[] Catalog =
    [
        ("Electronics",
        [
            ("Wireless Noise-Cancelling Headphones", "Over-ear Bluetooth headphones with 30-hour battery life.", 199.99m),
            ("USB-C Charging Cable 2 m", "Braided USB-C to USB-C cable, 100 W power delivery.", 14.99m),
            ("27-inch 4K Monitor", "IPS panel, 60 Hz, HDR10, USB-C input with 65 W charging.", 349.00m),
            ("Mechanical Keyboard", "Tenkeyless keyboard with hot-swappable brown switches.", 89.50m),
            ("Wireless Mouse", "Ergonomic mouse with silent clicks and a 12-month battery.", 24.99m),
            ("Portable SSD 1 TB", "USB 3.2 external drive, up to 1050 MB/s.", 109.00m),
            ("Smart Speaker", "Voice-controlled speaker with room-filling sound.", 59.99m),
            ("Action Camera", "4K60 waterproof camera with image stabilisation.", 229.00m),
            ("E-Reader", "6-inch glare-free display, adjustable warm light.", 119.99m),
            ("Power Bank 20000 mAh", "Two USB-C ports, charges a laptop at 45 W.", 39.95m),
        ]),
        ("Books",
        [
            ("The Pragmatic Programmer", "Classic advice on the craft of software development, 20th anniversary edition.", 42.00m),
            ("Designing Data-Intensive Applications", "The big ideas behind reliable, scalable and maintainable systems.", 49.99m),
            ("Domain-Driven Design Distilled", "A short, practical introduction to DDD.", 31.50m),
            ("Clean Architecture", "A craftsman's guide to software structure and design.", 34.99m),
            ("Refactoring", "Improving the design of existing code, second edition.", 47.25m),
            ("The Phoenix Project", "A novel about IT, DevOps and helping your business win.", 19.99m),
            ("Site Reliability Engineering", "How Google runs production systems.", 44.00m),
            ("Cooking for Engineers", "Recipes explained with diagrams and precise measurements.", 27.00m),
            ("A Short History of Nearly Everything", "Popular science from the Big Bang to civilisation.", 16.99m),
            ("The Hobbit", "Illustrated hardback edition of the fantasy classic.", 24.00m),
        ]),
        ("Kitchen",
        [
            ("Chef's Knife 20 cm", "Forged stainless steel with a full tang.", 79.00m),
            ("Cast Iron Skillet 26 cm", "Pre-seasoned, oven safe up to 260 °C.", 45.90m),
            ("Espresso Machine", "15-bar pump with a steam wand for milk.", 289.00m),
            ("Burr Coffee Grinder", "40 grind settings from espresso to French press.", 129.00m),
            ("Bamboo Cutting Board", "Large board with a juice groove.", 22.50m),
            ("Electric Kettle 1.7 l", "Temperature control and keep-warm function.", 49.00m),
            ("Non-Stick Saucepan Set", "Three saucepans with glass lids.", 89.99m),
            ("Digital Kitchen Scale", "Weighs up to 5 kg in 1 g steps.", 18.99m),
            ("Stand Mixer", "1000 W mixer with a 5 l stainless steel bowl.", 399.00m),
            ("Glass Food Containers (Set of 10)", "Oven and microwave safe, leak-proof lids.", 34.95m),
        ]),
        ("Outdoors",
        [
            ("Two-Person Tent", "Freestanding backpacking tent, 1.8 kg.", 189.00m),
            ("Down Sleeping Bag", "Comfort rating -5 °C, packs to the size of a melon.", 249.00m),
            ("Trekking Poles (Pair)", "Carbon fibre, adjustable, cork grips.", 99.00m),
            ("Hiking Backpack 40 l", "Ventilated back panel and rain cover.", 139.95m),
            ("Insulated Water Bottle 750 ml", "Keeps drinks cold for 24 hours.", 29.90m),
            ("Headlamp 400 lm", "Rechargeable, red light mode, IPX4.", 34.00m),
            ("Camping Stove", "Compact gas stove, boils a litre in 3.5 minutes.", 54.99m),
            ("Merino Base Layer", "Lightweight long-sleeve top, odour resistant.", 69.00m),
            ("100% Merino Wool Socks", "Cushioned hiking socks, two pairs.", 24.00m),
            ("Folding Camp Chair", "Holds 120 kg, packs into its own bag.", 39.99m),
        ]),
        ("Toys",
        [
            ("Wooden Building Blocks", "100 blocks in natural and bright colours.", 29.99m),
            ("Remote Control Car", "Off-road buggy, 25 km/h, rechargeable.", 59.00m),
            ("1000-Piece Jigsaw Puzzle", "Mountain lake landscape.", 17.50m),
            ("Strategy Board Game", "Trade and build settlements, 3–4 players.", 42.99m),
            ("Plush Teddy Bear", "Soft 40 cm bear, machine washable.", 21.00m),
            ("Kids' Science Kit", "Twenty experiments with crystals and volcanoes.", 32.50m),
            ("Card Game for Families", "Fast matching game for 2–10 players.", 9.99m),
            ("Marble Run", "Construction set with 150 pieces.", 49.95m),
            ("Magnetic Drawing Board", "Mess-free drawing for toddlers.", 14.99m),
            ("Robot Coding Kit", "Build and program a robot with a tablet app.", 119.00m),
        ]),
        ("Clothing",
        [
            ("Organic 100% Cotton T-Shirt", "Crew neck, regular fit.", 19.90m),
            ("Slim Fit Jeans", "Stretch denim in dark indigo.", 59.95m),
            ("Waterproof Rain Jacket", "Breathable shell with a packable hood.", 129.00m),
            ("Wool Blend Sweater", "Ribbed cuffs and hem, relaxed fit.", 74.50m),
            ("Running Shoes", "Lightweight trainers with a cushioned sole.", 109.99m),
            ("Leather Belt", "Full-grain leather with a brushed steel buckle.", 35.00m),
            ("Baseball Cap", "Adjustable cotton cap.", 17.99m),
            ("Chino Shorts", "Cotton twill, 23 cm inseam.", 34.90m),
            ("Fleece Hoodie", "Full zip, two hand pockets.", 49.00m),
            ("Linen Summer Shirt", "Lightweight, breathable and relaxed.", 44.95m),
        ]),
    ];

    public static int ProductCount => Catalog.Sum(c => c.Products.Length);

    /// <summary>
    /// Adds the demo catalogue when there is no category yet and returns the number of products added.
    /// Callers serialise concurrent replicas (see MigrationExtensions.AddMigrations); the unique category
    /// name index catches any caller that does not.
    /// </summary>
    async Task<string> IDatabaseSeeder<CatalogDbContext>.SeedAsync(CatalogDbContext db, CancellationToken cancellationToken)
        => $"{await SeedAsync(db, cancellationToken)} products seeded";

    public static async Task<int> SeedAsync(CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Categories.AnyAsync(cancellationToken))
        {
            return 0;
        }

        foreach (var (categoryName, products) in Catalog)
        {
            var category = new Category { Name = categoryName };
            category.Products.AddRange(products.Select(p => new Product
            {
                Name = p.Name,
                Description = p.Description,
                Price = p.Price,
            }));
            db.Categories.Add(category);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ProductCount;
    }
}
