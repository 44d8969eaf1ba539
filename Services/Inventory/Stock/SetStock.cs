using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Inventory.Data;

namespace Shop.Inventory.Stock;

public static class SetStock
{
    private const int MaxAttempts = 3;

    /// <summary><see cref="OnHand"/> is nullable so that a missing field is reported by name instead of becoming 0.</summary>
    public sealed record Request(int? OnHand);

    /// <summary>
    /// Sets the units on hand (a stock count or a delivery), creating the product's stock row when it has none
    /// (201, as RFC 9110 asks of a PUT that creates).
    /// </summary>
    /// <remarks>
    /// Optimistic: a reservation committed between our read and our write changes the row's <c>xmin</c>, the update
    /// matches no row, and the check against the new reserved quantity runs again on fresh data.
    /// </remarks>
    public static async Task<Results<Ok<StockView>, Created<StockView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        int productId, Request request, InventoryDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (productId <= 0)
        {
            errors["productId"] = ["Must be a positive product id."];
        }
        if (request.OnHand is null)
        {
            errors["onHand"] = ["Required."];
        }
        else if (request.OnHand < 0)
        {
            errors["onHand"] = ["Must be 0 or more."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }
        var onHand = request.OnHand.GetValueOrDefault();

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var stock = await db.StockItems.SingleOrDefaultAsync(s => s.ProductId == productId, cancellationToken);
            var creating = stock is null;
            if (stock is null)
            {
                stock = new StockItem { ProductId = productId };
                db.StockItems.Add(stock);
            }
            else if (onHand < stock.Reserved)
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "On-hand below reserved",
                    detail: $"onHand {onHand} is less than the {stock.Reserved} units reserved for orders of product {productId}.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["errors"] = new Dictionary<string, string[]> { ["onHand"] = [$"Must be at least {stock.Reserved} (reserved)."] },
                        ["reserved"] = stock.Reserved,
                    });
            }

            stock.OnHand = onHand;
            stock.UpdatedAt = clock.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return creating
                    ? TypedResults.Created($"/api/v1/stock/{productId}", StockView.From(stock))
                    : TypedResults.Ok(StockView.From(stock));
            }
            catch (DbUpdateConcurrencyException)
            {
                // The row changed since we read it: read it again.
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another request created the row first: read it again.
            }
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Concurrent update",
            detail: $"The stock of product {productId} kept changing while it was being set; try again.");
    }
}
