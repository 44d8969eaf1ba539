using Shop.ServiceDefaults.Data;

namespace Shop.Tests.Defaults;

/// <summary>The page and pageSize query values every list endpoint (products, orders, notifications) takes.</summary>
public sealed class PagingTests
{
    [Theory]
    [InlineData(null, null, 1, Paging.DefaultPageSize)]
    [InlineData("", "", 1, Paging.DefaultPageSize)]
    [InlineData("3", "100", 3, 100)]
    [InlineData("2147483647", "1", int.MaxValue, 1)]
    public void defaults_and_bounds_are_accepted(string? page, string? pageSize, int expectedPage, int expectedSize)
    {
        var errors = new Dictionary<string, string[]>();

        var paging = Paging.Parse(page, pageSize, errors);

        Assert.Empty(errors);
        Assert.Equal(new Paging(expectedPage, expectedSize), paging);
    }

    [Theory]
    [InlineData("0", null, "page", "Must be 1 or more.")]
    [InlineData("-1", null, "page", "Must be 1 or more.")]
    [InlineData("abc", null, "page", "'abc' is not a whole number.")]
    [InlineData("1.5", null, "page", "'1.5' is not a whole number.")]
    [InlineData(null, "0", "pageSize", "Must be between 1 and 100.")]
    [InlineData(null, "101", "pageSize", "Must be between 1 and 100.")]
    [InlineData(null, "ten", "pageSize", "'ten' is not a whole number.")]
    [InlineData(null, "99999999999", "pageSize", "'99999999999' is not a whole number.")]
    public void a_bad_value_is_an_error_for_its_field_alone(string? page, string? pageSize, string field, string message)
    {
        var errors = new Dictionary<string, string[]>();

        Paging.Parse(page, pageSize, errors);

        Assert.Equal(message, Assert.Single(Assert.Single(errors, e => e.Key == field).Value));
        Assert.Single(errors);
    }

    [Fact]
    public void the_offset_of_the_last_possible_page_does_not_overflow()
    {
        // (page - 1) * pageSize in int would be negative here, and a negative Skip throws: a 500 for a bad request.
        Assert.Equal((long)(int.MaxValue - 1) * 100, new Paging(int.MaxValue, 100).Offset);
        Assert.Equal(0, new Paging(1, 20).Offset);
    }
}
