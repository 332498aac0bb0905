import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM (bench/profile.sh: async-profiler's start, dump and stop commands, so
 * that a profile covers one measured window and not the service's start). The JDK's Attach API, as async-profiler's
 * own launcher uses it. Run as a source file: java bench/Attach.java PID LIBRARY 'start,event=cpu'
 */
public class Attach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
