namespace GracefulStop.Analyzers.Analysis;

/// <summary>
/// The last key asked about and its value, for callbacks that come in runs with the same key (the calls of one tree,
/// the operations of one member, the members of one type): it spares most dictionary look-ups. The pair is swapped
/// whole, so a reader on another thread sees a consistent pair or a miss.
/// </summary>
public sealed class LastEntry<TKey, TValue>
    where TKey : class
{
    private Entry? _last;

    public bool TryGet(TKey key, out TValue value)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Key, key))
        {
            value = last.Value;
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value) => Volatile.Write(ref _last, new Entry(key, value));

    private sealed class Entry
    {
        public Entry(TKey key, TValue value)
        {
            Key = key;
            Value = value;
        }

        public TKey Key { get; }

        public TValue Value { get; }
    }
}
