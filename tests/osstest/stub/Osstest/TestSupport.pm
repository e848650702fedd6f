# Stand-in for osstest's Osstest::TestSupport in tests/unit/osstest.sh:
# the functions ts-xen-ttm-dma32 calls, acting on this machine.  Commands
# "on the host" run here, with a fake xl, xenstore and test-dma32-quota on
# PATH; every call is logged to $STUB_LOG.  Not osstest code.
package Osstest::TestSupport;
use strict;
use warnings;
use Exporter 'import';
our @EXPORT = qw(%r tsreadconfig ts_get_host_guest target_cmd_root
		 target_cmd_output_root target_putfile_root guest_editconfig
		 toolstack logm fail get_host_property);
our %r;

sub stub_log { open my $f, '>>', $ENV{STUB_LOG} or die; print $f "@_\n"; }

sub tsreadconfig {
    foreach (split /\s+/, $ENV{STUB_RUNVARS} // '') {
	my ($k, $v) = split /=/, $_, 2;
	$r{$k} = $v;
    }
}
sub ts_get_host_guest {
    return ({ Name => 'host' },
	    { Name => 'debian', Guest => 'debian',
	      CfgPath => "$ENV{STUB_DIR}/debian.cfg" });
}
sub remote { my ($c) = @_; $c =~ s,/root/xen-ttm-dma32,$ENV{STUB_DIR}/remote,g; $c }
sub target_cmd_root {
    my ($ho, $cmd) = @_;
    stub_log("cmd $cmd");
    system(remote($cmd)) == 0 or die "command failed: $cmd\n";
}
sub target_cmd_output_root {
    my ($ho, $cmd) = @_;
    stub_log("output $cmd");
    return scalar `${\ remote($cmd)}`;
}
sub target_putfile_root {
    my ($ho, $timeout, $local, $rfile) = @_;
    stub_log("put $local");
    system('cp', $local, remote($rfile)) == 0 or die;
}
sub guest_editconfig {
    my ($ho, $gho, $code) = @_;
    open my $in, '<', $gho->{CfgPath} or die;
    my @out;
    while (<$in>) { $code->(); push @out, $_; }
    close $in;
    open my $o, '>', $gho->{CfgPath} or die;
    print $o @out;
}
sub toolstack {
    return bless {}, 'Osstest::TestSupport::Toolstack';
}
sub Osstest::TestSupport::Toolstack::create {
    stub_log("create $_[1]{Name}");
    open my $f, '>', "$ENV{STUB_DIR}/up" or die; close $f;
}
sub Osstest::TestSupport::Toolstack::shutdown_wait {
    stub_log("shutdown $_[1]{Name}");
    unlink "$ENV{STUB_DIR}/up";
}
sub get_host_property { return $ENV{STUB_HOST_GPU}; }
sub logm { stub_log("logm $_[0]"); }
sub fail { stub_log("fail $_[0]"); print STDERR "FAIL: $_[0]\n"; exit 1; }
1;
