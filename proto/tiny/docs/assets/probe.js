window.PROBE=1;
