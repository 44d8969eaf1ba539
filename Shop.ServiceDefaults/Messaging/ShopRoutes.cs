using Shop.Contracts;
using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Where a service's messages go and what it listens to: commands are sent to the
/// owner's queue, events are published to a fanout exchange named after the event, and each subscriber binds its
/// own queue to that exchange (so every subscriber gets every event, instead of competing for it).
/// </summary>
public sealed class ShopRoutes(WolverineOptions options, RabbitMqTransportExpression rabbit, string queue)
{
    /// <summary>The exchange an event of type <typeparamref name="TEvent"/> is published to.</summary>
    public static string ExchangeFor<TEvent>() => ExchangeFor(typeof(TEvent));

    public static string ExchangeFor(Type eventType) => $"shop.{eventType.Name}";

    /// <summary>Commands and replies of this type go to <paramref name="targetQueue"/> (see <see cref="Queues"/>).</summary>
    public ShopRoutes Send<TMessage>(string targetQueue)
    {
        options.PublishMessage<TMessage>().ToRabbitQueue(targetQueue);
        return this;
    }

    /// <summary>Events of this type go to their fanout exchange, for whoever subscribes.</summary>
    public ShopRoutes Publish<TEvent>()
    {
        options.PublishMessage<TEvent>().ToRabbitExchange(ExchangeFor<TEvent>(), exchange => exchange.ExchangeType = ExchangeType.Fanout);
        return this;
    }

    /// <summary>Binds this service's queue to the event's exchange: every event of this type also reaches this service.</summary>
    public ShopRoutes Subscribe<TEvent>()
    {
        rabbit.DeclareExchange(ExchangeFor<TEvent>(), exchange =>
        {
            exchange.ExchangeType = ExchangeType.Fanout;
            exchange.BindQueue(queue);
        });
        return this;
    }
}
