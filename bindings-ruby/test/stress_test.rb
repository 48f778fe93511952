# frozen_string_literal: true

# Native memory under pressure: GC.stress collects at every allocation, so a buffer C reads
# that Ruby no longer references (headers, secrets, bodies, answers) cannot hide; and one
# verifier and guard shared by many threads (the guard's check-and-remember is atomic).
require_relative "test_helper"

class StressTest < Minitest::Test
  SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

  def test_everything_under_gc_stress
    body = '{"type":"contact.created"}'
    GC.stress = true
    begin
      2.times do |i|
        v = Hooksig::Verifier.new("standard-webhooks", secrets: ["whsec_AAAAAAAAAAAAAAAAAAAAAAAA", SECRET])
        signed = Hooksig.sign("standard-webhooks", SECRET, body, timestamp: 1_767_225_600, id: "msg_#{i}")
        got = v.verify(signed.to_h.transform_keys(&:upcase), body, now: 1_767_225_600)
        assert_equal ["msg_#{i}", 1, body], [got.id, got.key_index, got.payload]
        assert_equal 200, got.received.status
        e = assert_raises(Hooksig::SignatureMismatchError) { v.verify(signed, "#{body} ", now: 1_767_225_600) }
        assert_equal "webhook-signature", e.header.downcase
        scheme = Hooksig::Scheme.custom(id: "acme", signature_header: "X-Sig")
        assert_equal "acme", scheme.id
        g = Hooksig::MemoryGuard.for(v)
        assert g.check_and_remember(got.dedupe_key)
        assert_equal %w[DEL hooksig:replay:k], Hooksig::SharedStore.new(ttl: 10).command(:release, "k")
        assert_equal 405, Hooksig::Receiver.new(limit: 10).start("GET", nil).status
      end
    ensure
      GC.stress = false
    end
  end

  def test_one_verifier_and_guard_across_threads
    v = Hooksig::Verifier.new("github", secret: "It's a Secret to Everybody")
    guard = Hooksig::MemoryGuard.for(v)
    bodies = Array.new(20) { |i| "delivery #{i}" }
    signed = bodies.map { |b| Hooksig.sign("github", "It's a Secret to Everybody", b) }
    results = Queue.new
    threads = Array.new(8) do
      Thread.new do
        bodies.each_with_index do |b, i|
          got = v.verify(signed[i], b)
          results << [i, guard.check(got.dedupe_key)]
        end
      end
    end
    threads.each(&:join)
    answers = Array.new(results.size) { results.pop }.group_by(&:first)
    bodies.each_index do |i|
      assert_equal 1, answers[i].count { |_, a| a == :new }, "delivery #{i}"
      assert_equal 7, answers[i].count { |_, a| a == :duplicate }
    end
  end
end
