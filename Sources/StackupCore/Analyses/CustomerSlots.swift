/// Per-customer state, in slots that finished customers hand on: memory grows with the
/// customers in the line at once, not with all of them.
struct CustomerSlots {
    let dimensions: Int
    let promises: Int
    /// Stages that set `max_visits`: each slot counts its customer's visits to them.
    let limitedStages: Int
    private(set) var capacity = 0
    /// The customer's attributes, `dimensions` per slot.
    private(set) var point = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    private(set) var layer = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private(set) var contacts = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private(set) var queuedAt = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    /// The FIFO queues, as lists linked through the slots (one queue at a time each).
    private(set) var nextInQueue = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    /// `promises` per slot: when the promise's clock started; -1 not yet, -2 stopped, -3 never
    /// (the customer is not one a promise with `for` is made to).
    private(set) var promiseStart = UnsafeMutableBufferPointer<Double>(start: nil, count: 0)
    /// The customer's number in order of entry, for the warm-up.
    private(set) var number = UnsafeMutableBufferPointer<Int>(start: nil, count: 0)
    /// `limitedStages` per slot: visits so far to each stage that sets `max_visits`.
    private(set) var visits = UnsafeMutableBufferPointer<Int32>(start: nil, count: 0)
    private var free: [Int32] = []

    init(dimensions: Int, promises: Int, limitedStages: Int = 0) {
        self.dimensions = dimensions
        self.promises = promises
        self.limitedStages = limitedStages
    }

    /// A slot for customer `number`, its state reset.
    mutating func acquire(number customer: Int) -> Int {
        if free.isEmpty { grow() }
        let c = Int(free.removeLast())
        layer[c] = 0
        contacts[c] = 0
        nextInQueue[c] = -1
        for p in 0..<promises { promiseStart[c * promises + p] = -1 }
        for k in 0..<limitedStages { visits[c * limitedStages + k] = 0 }
        number[c] = customer
        return c
    }

    mutating func release(_ c: Int) { free.append(Int32(truncatingIfNeeded: c)) }

    private static func moved<T>(_ old: UnsafeMutableBufferPointer<T>, count: Int, filler: T) -> UnsafeMutableBufferPointer<T> {
        let new = UnsafeMutableBufferPointer.filled(count, filler)
        if let base = old.baseAddress, let target = new.baseAddress {
            target.update(from: base, count: old.count)
            old.deallocate()
        }
        return new
    }

    private mutating func grow() {
        let larger = max(1024, capacity * 2)
        point = Self.moved(point, count: larger * dimensions, filler: 0)
        layer = Self.moved(layer, count: larger, filler: 0)
        contacts = Self.moved(contacts, count: larger, filler: 0)
        queuedAt = Self.moved(queuedAt, count: larger, filler: 0)
        nextInQueue = Self.moved(nextInQueue, count: larger, filler: -1)
        promiseStart = Self.moved(promiseStart, count: larger * promises, filler: -1)
        number = Self.moved(number, count: larger, filler: 0)
        visits = Self.moved(visits, count: larger * limitedStages, filler: 0)
        // The lowest new slot is handed out first.
        free.append(contentsOf: (capacity..<larger).reversed().map { Int32(truncatingIfNeeded: $0) })
        capacity = larger
    }

    func deallocate() {
        point.deallocate(); layer.deallocate(); contacts.deallocate(); queuedAt.deallocate()
        nextInQueue.deallocate(); promiseStart.deallocate(); number.deallocate(); visits.deallocate()
    }
}

extension UnsafeMutableBufferPointer {
    /// A new buffer of `count` copies of `value` (at least one, so that it has an address).
    static func filled(_ count: Int, _ value: Element) -> UnsafeMutableBufferPointer<Element> {
        let b = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(count, 1))
        b.initialize(repeating: value)
        return b
    }
}
