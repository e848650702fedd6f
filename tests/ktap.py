#!/usr/bin/env python3
"""KUnit results of a scenario, read with Linux's own KTAP parser.

    ktap.py <kunit tool dir> <scenario> <results file>

The results file (docs/testbed.md, "Result protocol") holds blocks
    XTEST-KTAP-BEGIN <suite>
    <the suite's /sys/kernel/debug/kunit/<suite>/results>
    XTEST-KTAP-END <suite>
Each block is parsed by tools/testing/kunit/kunit_parser.py from the kernel
tree we build.  Prints one line per leaf (a parameter of a parameterised case,
else a case):  PASS|FAIL|SKIP: <scenario>: <suite>.<case>[.<parameter>]
and a FAIL line for everything else the parser finds wrong: a suite or case
that fails with no failing leaf, a plan that does not match the results, a
suite with no cases, a block that is cut off or names another suite.
"""
import io
import re
import sys


def blocks(lines):
    """(suite, lines, complete) for each KTAP block."""
    suite, body = None, []
    for line in lines:
        m = re.match(r'^XTEST-KTAP-(BEGIN|END) (\S+)\s*$', line)
        if m and m.group(1) == 'BEGIN':
            if suite is not None:
                yield suite, body, False
            suite, body = m.group(2), []
        elif m and suite is not None:
            yield suite, body, m.group(2) == suite
            suite = None
        elif suite is not None:
            body.append(line)
    if suite is not None:
        yield suite, body, False


def leaves(test, path, out):
    """Append (status, name) for every leaf below test; True if one failed."""
    failed = False
    for i, sub in enumerate(test.subtests, 1):
        name = f'{path}.{sub.name or f"<case {i} missing>"}'
        if sub.subtests:
            failed |= leaves(sub, name, out)
            if not sub.ok_status() and not any_failed(sub):
                out.append(('FAIL', f'{name} (failed, no failing case)'))
                failed = True
        else:
            out.append((status_word(sub), name))
            failed |= status_word(sub) == 'FAIL'
    return failed


def any_failed(test):
    return any(not s.ok_status() or any_failed(s) for s in test.subtests)


def status_word(test):
    if test.status.name == 'SUCCESS':
        return 'PASS'
    if test.status.name == 'SKIPPED':
        return 'SKIP'
    return 'FAIL'


def check_block(parser, scenario, suite, body, complete):
    """Result lines for one block."""
    fail = f'FAIL: {scenario}: {suite}'
    if not complete:
        return [f'{fail}: KTAP block cut off (no XTEST-KTAP-END {suite})']
    noise = io.StringIO()
    parser.stdout._output = noise  # the parser's own report: kept quiet
    parser.stdout._use_color = False
    root = parser.parse_run_tests(body)
    errors = [l.split('[ERROR] ', 1)[1]
              for l in noise.getvalue().splitlines() if '[ERROR] ' in l]
    out = []
    for err in errors:
        out.append(f'{fail}: KTAP: {err}')
    suites = [s for s in root.subtests]
    if [s.name for s in suites] != [suite]:
        out.append(f'{fail}: KTAP block holds {[s.name for s in suites]}, not the suite asked for')
    for s in suites:
        if not s.subtests:
            out.append(f'{fail}: suite has no test cases ({s.status.name})')
            continue
        found = []
        leaf_failed = leaves(s, s.name, found)
        out += [f'{w}: {scenario}: {n}' for w, n in found]
        if not s.ok_status() and not leaf_failed:
            out.append(f'{fail}: suite reports {s.status.name} with no failing case')
    if not root.ok_status() and not any(l.startswith('FAIL') for l in out):
        out.append(f'{fail}: KTAP parser: {root.status.name}')
    return out


def main():
    kunit_dir, scenario, results = sys.argv[1:4]
    sys.path.insert(0, kunit_dir)
    import kunit_parser  # pylint: disable=import-outside-toplevel
    with open(results, errors='backslashreplace') as f:
        lines = [l.rstrip('\r\n') for l in f]
    for suite, body, complete in blocks(lines):
        for line in check_block(kunit_parser, scenario, suite, body, complete):
            print(line)


if __name__ == '__main__':
    main()
