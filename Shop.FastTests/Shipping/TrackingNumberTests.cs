using Shop.Shipping.Carrier;

namespace Shop.Tests.Shipping;

public sealed class TrackingNumberTests
{
    [Fact]
    public void tracking_numbers_are_shp_and_ten_capital_letters_or_digits_and_do_not_repeat()
    {
        var numbers = Enumerable.Range(0, 2_000).Select(_ => TrackingNumbers.New()).ToList();

        Assert.All(numbers, n => Assert.Matches(TrackingNumbers.Pattern, n));
        Assert.All(numbers, n => Assert.True(TrackingNumbers.IsValid(n)));
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        // Every character of the alphabet turns up: the random part is not biased to letters or to digits.
        Assert.Equal(36, numbers.SelectMany(n => n[TrackingNumbers.Prefix.Length..]).Distinct().Count());
    }

    [Theory]
    [InlineData("SHP-ABCDE12345", true)]
    [InlineData("SHP-abcde12345", false)]
    [InlineData("SHX-ABCDE12345", false)]
    [InlineData("SHP-ABCDE1234", false)]
    [InlineData("SHP-ABCDE123456", false)]
    [InlineData("SHP-ABCDE-2345", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void only_the_documented_shape_is_a_tracking_number(string? value, bool valid)
    {
        Assert.Equal(valid, TrackingNumbers.IsValid(value));
    }
}
