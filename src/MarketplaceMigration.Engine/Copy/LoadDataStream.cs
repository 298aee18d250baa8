using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MarketplaceMigration.Engine.Tables;
using MySqlConnector;

namespace MarketplaceMigration.Engine.Copy;

/// <summary>
/// The rows of a source reader as LOAD DATA text: fields separated by a tab, rows ended by a newline,
/// NULL as <c>\N</c>, and 0x00, tab, newline and backslash escaped with a backslash. Every column is
/// selected as bytes (<see cref="TableColumn.TransportExpression"/>), so what the target parses is the
/// source server's own text of each value, byte for byte: nothing is decoded into .NET values and
/// formatted again on the way (the copy's client work is a scan and a memory copy per field).
/// </summary>
internal sealed class LoadDataStream : Stream
{
    private static readonly byte[] Escaped = { 0x00, (byte)'\t', (byte)'\n', (byte)'\\' };
    private readonly MySqlDataReader _reader;
    private readonly int _columns;
    private byte[] _row = new byte[1 << 16];
    private byte[] _field = new byte[1 << 12];
    private int _rowLength;
    private int _rowOffset;
    private bool _done;

    public LoadDataStream(MySqlDataReader reader, int columns)
    {
        _reader = reader;
        _columns = columns;
    }

    /// <summary>Rows handed to the target so far.</summary>
    public long Rows { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count)
        {
            if (_rowOffset == _rowLength)
            {
                if (_done || !_reader.Read())
                {
                    _done = true;
                    break;
                }
                EncodeRow();
            }

            written += Drain(buffer.AsSpan(offset + written, count - written));
        }

        return written;
    }

    // MySqlConnector reads a LOAD DATA LOCAL source stream through ReadAsync even inside its synchronous
    // Load(): answer synchronously, on the calling thread (the copy streams on a thread of its own).
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    private int Drain(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _rowLength - _rowOffset);
        _row.AsSpan(_rowOffset, n).CopyTo(destination);
        _rowOffset += n;
        return n;
    }

    private void EncodeRow()
    {
        _rowLength = 0;
        _rowOffset = 0;
        for (var i = 0; i < _columns; i++)
        {
            if (i > 0)
                Put((byte)'\t');
            if (_reader.IsDBNull(i))
            {
                Put((byte)'\\');
                Put((byte)'N');
                continue;
            }

            var length = (int)_reader.GetBytes(i, 0, null, 0, 0);
            if (_field.Length < length)
                _field = new byte[Math.Max(length, _field.Length * 2)];
            if (length > 0)
                _reader.GetBytes(i, 0, _field, 0, length);
            Escape(_field.AsSpan(0, length));
        }

        Put((byte)'\n');
        Rows++;
    }

    private void Escape(ReadOnlySpan<byte> value)
    {
        Reserve(value.Length * 2);
        while (!value.IsEmpty)
        {
            var next = value.IndexOfAny(Escaped.AsSpan());
            var plain = next < 0 ? value : value.Slice(0, next);
            plain.CopyTo(_row.AsSpan(_rowLength));
            _rowLength += plain.Length;
            if (next < 0)
                return;
            _row[_rowLength++] = (byte)'\\';
            _row[_rowLength++] = value[next] switch
            {
                0x00 => (byte)'0',
                (byte)'\t' => (byte)'t',
                (byte)'\n' => (byte)'n',
                _ => (byte)'\\',
            };
            value = value.Slice(next + 1);
        }
    }

    private void Put(byte b)
    {
        Reserve(1);
        _row[_rowLength++] = b;
    }

    private void Reserve(int bytes)
    {
        if (_rowLength + bytes <= _row.Length)
            return;
        Array.Resize(ref _row, Math.Max(_rowLength + bytes, _row.Length * 2));
    }
}
