namespace Shop.Contracts;

/// <summary>One product line of an order: what inventory reserves and shipping packs.</summary>
public sealed record OrderLine(int ProductId, int Quantity);

/// <summary>Where an order goes. <see cref="Country"/> is an ISO 3166-1 alpha-2 code (<c>NL</c>, <c>US</c>).</summary>
public sealed record ShippingAddress(string Name, string Street, string City, string PostalCode, string Country);
