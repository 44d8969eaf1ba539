using System.ComponentModel.DataAnnotations;

namespace Shop.Catalog;

/// <summary>Settings bound from the <c>Catalog</c> configuration section.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>ISO 4217 code of every price in the catalogue; the v2 API shows it next to each amount.</summary>
    [Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "Catalog:Currency must be an ISO 4217 code such as EUR.")]
    public string Currency { get; set; } = "EUR";
}
